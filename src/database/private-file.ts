import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Creates `path` (mode 0600) and its missing folders (mode 0700) unless they exist, so that only
 * the app's own user can read what it writes there: the SQLite database holds every password
 * hash and session. SQLite gives its `-wal` and `-shm` files the database file's mode, so they
 * follow. Existing files and folders keep the mode the operator gave them; nothing is truncated.
 */
export function ensurePrivateFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
}
