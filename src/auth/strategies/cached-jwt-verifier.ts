import type { KeyObject } from 'node:crypto';
import { Strategy } from 'passport-jwt';
import type { VerifiedTokenCache } from '../verified-token-cache';

type VerifyCallback = (error: Error | null, payload?: unknown) => void;
type JwtVerifier = (
  token: string,
  secretOrKey: unknown,
  options: unknown,
  callback: VerifyCallback,
) => void;

/**
 * passport-jwt verifies every token through one static function, `Strategy.JwtVerifier` (the seam
 * its own tests replace), which calls jsonwebtoken's `verify`. On the guarded path that call was a
 * quarter of the server's CPU per request (bench/README.md, step 5), for a result that cannot
 * change while the token text and the key stay the same.
 */
interface JwtVerifierSeam {
  JwtVerifier: JwtVerifier;
}

const cachesByKey = new WeakMap<KeyObject, VerifiedTokenCache>();
let installed = false;

/**
 * Makes passport-jwt consult `cache` for tokens verified with `key`, and fill it; returns the key.
 * AuthModule registers each key of SigningKeys, which JwtStrategy then verifies with. Keys that
 * were never registered (another strategy's, say) are verified exactly as passport-jwt always does.
 */
export function cacheVerifiedTokens(key: KeyObject, cache: VerifiedTokenCache): KeyObject {
  cachesByKey.set(key, cache);
  if (!installed) {
    installCachingVerifier(Strategy as unknown as JwtVerifierSeam);
    installed = true;
  }
  return key;
}

function installCachingVerifier(seam: JwtVerifierSeam): void {
  const verifyInFull = seam.JwtVerifier;
  seam.JwtVerifier = (token, secretOrKey, options, callback) => {
    // WeakMap#get answers undefined for anything that is not a registered key, strings included.
    const cache = cachesByKey.get(secretOrKey as KeyObject);
    if (cache === undefined) {
      verifyInFull(token, secretOrKey, options, callback);
      return;
    }
    const known = cache.get(token);
    if (known !== undefined) {
      callback(null, known);
      return;
    }
    verifyInFull(token, secretOrKey, options, (error, payload) => {
      if (error !== null || typeof payload !== 'object' || payload === null) {
        callback(error, payload);
        return;
      }
      callback(null, cache.remember(token, payload as Record<string, unknown>));
    });
  };
}
