const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Parses a duration given as whole seconds (`900`) or `<n>s|m|h|d` (`15m`, `7d`).
 * Returns the number of seconds, or `undefined` when the text is not such a duration.
 */
export function parseDurationSeconds(text: string): number | undefined {
  const match = /^(\d{1,9})([smhd]?)$/.exec(text.trim());
  if (!match) {
    return undefined;
  }
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2] || 's'];
  return seconds > 0 ? seconds : undefined;
}
