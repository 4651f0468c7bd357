import { createSecretKey, type KeyObject } from 'node:crypto';
import type { AppConfig } from '../config/app-config';

export const ACCESS_TOKEN_ALGORITHM = 'HS256';

/** Injection token of the KeyObject JwtStrategy verifies access tokens with (see AuthModule). */
export const ACCESS_TOKEN_VERIFY_KEY = 'ACCESS_TOKEN_VERIFY_KEY';

/**
 * The HMAC key as a KeyObject, made once. Handed a string, jsonwebtoken imports the key again on
 * every sign and verify; a KeyObject skips that (see bench/README.md).
 */
export function createSigningKey(config: AppConfig): KeyObject {
  return createSecretKey(Buffer.from(config.jwt.secret, 'utf8'));
}
