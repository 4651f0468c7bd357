import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits (the contract asks for at least 128), base64url: safe in a URL as it is. */
export function generateMailToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps instead of the token. */
export function hashMailToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
