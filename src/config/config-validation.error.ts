/** Thrown at start-up with one line per invalid key; main.ts prints the lines and exits non-zero. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}
