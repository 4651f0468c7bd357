import type { IncomingHttpHeaders } from 'node:http';

// RFC 6750 §2.1: the scheme is case-insensitive; exactly one space; the token is b64token
// characters only, so anything after it (a second word, a trailing space) is refused.
const BEARER_HEADER = /^bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

/** The token of an `Authorization: Bearer <token>` header, or null for any other form. */
export function extractBearerToken(headers: IncomingHttpHeaders): string | null {
  const header = headers.authorization;
  if (typeof header !== 'string') {
    return null;
  }
  return BEARER_HEADER.exec(header)?.[1] ?? null;
}

/** True when the client presented a bearer token at all (RFC 6750 error="invalid_token"). */
export function presentedBearerToken(headers: IncomingHttpHeaders): boolean {
  const header = headers.authorization;
  return typeof header === 'string' && /^bearer\s/i.test(header);
}
