import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, base64url: the opaque refresh token handed to the client, never stored. */
export function generateRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps instead of the token. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
