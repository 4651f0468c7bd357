export type DatabaseTarget = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/**
 * Reads `sqlite:<path>`, `sqlite::memory:` or a `postgres://` / `postgresql://` URL.
 * Returns `undefined` for anything else so the caller can name the key in its message.
 */
export function parseDatabaseUrl(text: string): DatabaseTarget | undefined {
  if (text.startsWith('sqlite:')) {
    const path = text.slice('sqlite:'.length);
    return path.length > 0 ? { kind: 'sqlite', path } : undefined;
  }
  if (/^postgres(ql)?:\/\//.test(text)) {
    try {
      const url = new URL(text);
      return url.hostname || url.pathname.length > 1 ? { kind: 'postgres', url: text } : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function isPostgresUrl(text: string | undefined): boolean {
  return text !== undefined && /^postgres(ql)?:\/\//.test(text);
}
