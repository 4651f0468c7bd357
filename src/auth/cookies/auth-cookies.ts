import type { FastifyRequest } from 'fastify';
import { API_PREFIX } from '../../api-prefix';
import { extractBearerToken } from '../bearer-token';

export const ACCESS_TOKEN_COOKIE = 'access_token';
export const REFRESH_TOKEN_COOKIE = 'refresh_token';
export const CSRF_TOKEN_COOKIE = 'csrf_token';
/** The refresh token is only ever sent to the auth routes (refresh, logout, and login). */
export const REFRESH_TOKEN_COOKIE_PATH = `/${API_PREFIX}/auth`;

/**
 * The access token of a request: the `Authorization` header when there is one (a malformed header
 * is refused, never replaced by the cookie), else the `access_token` cookie.
 */
export function accessTokenOf(request: FastifyRequest): string | null {
  if (request.headers.authorization !== undefined) {
    return extractBearerToken(request.headers);
  }
  return request.cookies?.[ACCESS_TOKEN_COOKIE] || null;
}

/** True when {@link accessTokenOf} takes the token from the cookie. */
export function usesAccessTokenCookie(request: FastifyRequest): boolean {
  return request.headers.authorization === undefined && !!request.cookies?.[ACCESS_TOKEN_COOKIE];
}
