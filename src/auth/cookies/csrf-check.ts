import { ForbiddenException, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { CSRF_TOKEN_COOKIE } from './auth-cookies';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-csrf-token';

export const CSRF_TOKEN_MISMATCH =
  "A request authenticated by cookies must send the csrf_token cookie's value as X-CSRF-Token";

/**
 * Why a request authenticated by cookies may not proceed, or null when it may. A request that is
 * not GET, HEAD or OPTIONS must echo the `csrf_token` cookie in `X-CSRF-Token` (a page of
 * another site can make the browser send the cookies, but can neither read them nor, without
 * this API's CORS consent, set a header), and its `Origin`, when sent, must be this API's own
 * or a trusted one (CORS_ORIGINS).
 */
export function csrfRefusal(request: FastifyRequest, trustedOrigins: Set<string>): string | null {
  if (SAFE_METHODS.has(request.method)) {
    return null;
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !trustedOrigins.has(origin) && origin !== ownOrigin(request)) {
    return `Origin ${origin} may not send requests authenticated by cookies`;
  }
  const header = request.headers[CSRF_HEADER];
  const cookie = request.cookies?.[CSRF_TOKEN_COOKIE];
  if (typeof header !== 'string' || !cookie || !equalInConstantTime(header, cookie)) {
    return CSRF_TOKEN_MISMATCH;
  }
  return null;
}

/** The origin the client addressed (scheme and Host, as TRUST_PROXY lets the proxy tell them). */
function ownOrigin(request: FastifyRequest): string | undefined {
  try {
    return new URL(`${request.protocol}://${request.host}`).origin;
  } catch {
    return undefined;
  }
}

function equalInConstantTime(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  // The length is no secret (every token has the same); only the comparison must not leak.
  return left.length === right.length && timingSafeEqual(left, right);
}

/** {@link csrfRefusal} as a 403, with the trusted origins of the configuration. */
@Injectable()
export class CsrfCheck {
  private readonly trustedOrigins: Set<string>;

  constructor(config: AppConfig) {
    // `*` lets any origin read public answers, never send cookie-authenticated requests.
    this.trustedOrigins = new Set(config.corsOrigins.filter((origin) => origin !== '*'));
  }

  assert(request: FastifyRequest): void {
    const refusal = csrfRefusal(request, this.trustedOrigins);
    if (refusal !== null) {
      throw new ForbiddenException(refusal);
    }
  }
}
