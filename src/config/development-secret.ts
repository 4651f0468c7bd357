import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatePrivateKeyPem, type AsymmetricJwtAlgorithm } from './signing-key-material';

/**
 * Development only: keeps a generated key under the data directory so that tokens (and secrets
 * encrypted with it) survive a restart. The first writer wins when several processes start
 * together (see loadOrCreate). `fileName` tells the keys apart: `jwt-secret`, `encryption-key`.
 */
export function loadOrCreateDevelopmentSecret(
  dataDirectory: string,
  fileName = 'jwt-secret',
): string {
  return loadOrCreate(join(dataDirectory, fileName), () => randomBytes(48).toString('base64url'));
}

/**
 * The same for an asymmetric signing key: one PKCS#8 file per algorithm, so switching
 * JWT_ALGORITHM in development never hands an RSA key to ES256.
 */
export function loadOrCreateDevelopmentPrivateKey(
  dataDirectory: string,
  algorithm: AsymmetricJwtAlgorithm,
): string {
  const file = join(dataDirectory, developmentPrivateKeyFile(algorithm));
  return loadOrCreate(file, () => generatePrivateKeyPem(algorithm));
}

export function developmentPrivateKeyFile(algorithm: AsymmetricJwtAlgorithm): string {
  return `jwt-private-key-${algorithm.toLowerCase()}.pem`;
}

/**
 * Written to a private temporary file and then hard-linked into place: `link` fails when the
 * file exists, so exactly one process wins, and no reader ever sees a half-written file.
 */
function loadOrCreate(file: string, create: () => string): string {
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temporary, create(), { flag: 'wx', mode: 0o600 });
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw error;
    }
  } finally {
    unlinkSync(temporary);
  }
  return readFileSync(file, 'utf8').trim();
}
