import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Development only: keeps a generated key under the data directory so that tokens (and secrets
 * encrypted with it) survive a restart. `wx` makes the first writer win when several processes
 * start together. `fileName` tells the keys apart: `jwt-secret`, `encryption-key`.
 */
export function loadOrCreateDevelopmentSecret(
  dataDirectory: string,
  fileName = 'jwt-secret',
): string {
  const file = join(dataDirectory, fileName);
  mkdirSync(dataDirectory, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw error;
    }
  }
  return readFileSync(file, 'utf8').trim();
}
