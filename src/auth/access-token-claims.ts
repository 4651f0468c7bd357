import type { AccessTokenClaims } from './types/jwt-payload.type';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * jsonwebtoken checks the signature, algorithm, iss, aud, exp and nbf when present, but accepts
 * a token without `exp`. This requires every claim this server writes, with its type, so that a
 * `sub` or `sid` that is not a UUID never reaches a query.
 */
export function hasAccessTokenClaims(payload: unknown): payload is AccessTokenClaims {
  if (typeof payload !== 'object' || payload === null) {
    return false;
  }
  const claims = payload as Record<string, unknown>;
  return (
    typeof claims.sub === 'string' &&
    UUID.test(claims.sub) &&
    typeof claims.sid === 'string' &&
    UUID.test(claims.sid) &&
    typeof claims.username === 'string' &&
    typeof claims.jti === 'string' &&
    typeof claims.iat === 'number' &&
    typeof claims.exp === 'number' &&
    typeof claims.iss === 'string' &&
    typeof claims.aud === 'string' &&
    (claims.amr === undefined ||
      (Array.isArray(claims.amr) && claims.amr.every((method) => typeof method === 'string')))
  );
}
