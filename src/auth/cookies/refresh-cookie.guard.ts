import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { REFRESH_TOKEN_COOKIE } from './auth-cookies';
import { CsrfCheck } from './csrf-check';

const refreshedByCookie = new WeakSet<FastifyRequest>();

/** True when {@link RefreshCookieGuard} took this request's refresh token from the cookie. */
export function isRefreshByCookie(request: FastifyRequest): boolean {
  return refreshedByCookie.has(request);
}

/**
 * On POST /auth/refresh: a request with no body (or an empty one) and a `refresh_token` cookie
 * refreshes with the cookie, after the CSRF check. The token then goes where a bearer client
 * puts it, in the body, so validation, rotation and reuse detection are the same for both.
 */
@Injectable()
export class RefreshCookieGuard implements CanActivate {
  constructor(private readonly csrf: CsrfCheck) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const token = request.cookies?.[REFRESH_TOKEN_COOKIE];
    if (!token || !isEmptyBody(request.body)) {
      return true;
    }
    this.csrf.assert(request);
    request.body = { refresh_token: token };
    refreshedByCookie.add(request);
    return true;
  }
}

function isEmptyBody(body: unknown): boolean {
  return (
    body === undefined ||
    body === null ||
    (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0)
  );
}
