import { createHash } from 'node:crypto';
import { Secret } from 'otpauth';

export const RECOVERY_CODE_COUNT = 10;
/** 80 random bits: 16 base32 characters, shown as four groups of four. */
const RECOVERY_CODE_BYTES = 10;
const NORMALISED_CODE = /^[a-z2-7]{16}$/;

/** A new code as shown to the user, e.g. `k7q2-mx4a-p3zt-6bwe` (lower case, grouped). */
export function generateRecoveryCode(): string {
  const text = new Secret({ size: RECOVERY_CODE_BYTES }).base32.toLowerCase();
  return text.match(/.{4}/g)?.join('-') ?? text;
}

/** What the user typed, without case, dashes or spaces; null when it cannot be a code. */
export function normaliseRecoveryCode(input: string): string | null {
  const text = input.toLowerCase().replace(/[\s-]/g, '');
  return NORMALISED_CODE.test(text) ? text : null;
}

/**
 * What the database keeps. SHA-256 rather than bcrypt: a code carries 80 random bits, so
 * finding one from its hash means about 2^79 guesses whatever the hash's speed (a slow hash
 * only helps secrets people choose, which are few bits). A fast hash can also be looked up.
 */
export function hashRecoveryCode(normalised: string): string {
  return createHash('sha256').update(normalised, 'utf8').digest('hex');
}
