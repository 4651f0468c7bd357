import type { CookieSerializeOptions } from '@fastify/cookie';
import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import type { CookieTokenResponseDto } from '../dto/cookie-token-response.dto';
import type { TokenResponseDto } from '../dto/token-response.dto';
import {
  ACCESS_TOKEN_COOKIE,
  CSRF_TOKEN_COOKIE,
  REFRESH_TOKEN_COOKIE,
  REFRESH_TOKEN_COOKIE_PATH,
} from './auth-cookies';

/** 256 random bits: the double-submit CSRF token. */
export function generateCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Writes and clears the three auth cookies with the contract's attributes: the tokens HttpOnly
 * (no script can read them), the refresh token sent only to the auth routes and never on a
 * cross-site request (Strict), the CSRF token readable so the app can echo it in a header.
 */
@Injectable()
export class AuthCookies {
  private readonly access: CookieSerializeOptions;
  private readonly refresh: CookieSerializeOptions;
  private readonly csrf: CookieSerializeOptions;

  constructor(config: AppConfig) {
    const shared = { secure: config.cookie.secure, domain: config.cookie.domain };
    this.access = { ...shared, httpOnly: true, path: '/', sameSite: 'lax' };
    this.refresh = {
      ...shared,
      httpOnly: true,
      path: REFRESH_TOKEN_COOKIE_PATH,
      sameSite: 'strict',
    };
    this.csrf = { ...shared, httpOnly: false, path: '/', sameSite: 'lax' };
  }

  /** Puts the tokens in cookies and returns the body that replaces them. */
  write(reply: FastifyReply, tokens: TokenResponseDto, csrfToken: string): CookieTokenResponseDto {
    reply.setCookie(ACCESS_TOKEN_COOKIE, tokens.access_token, {
      ...this.access,
      maxAge: tokens.expires_in,
    });
    reply.setCookie(REFRESH_TOKEN_COOKIE, tokens.refresh_token, {
      ...this.refresh,
      maxAge: tokens.refresh_expires_in,
    });
    // As long as the refresh token: a refresh needs it after the access token has expired.
    reply.setCookie(CSRF_TOKEN_COOKIE, csrfToken, {
      ...this.csrf,
      maxAge: tokens.refresh_expires_in,
    });
    return {
      token_type: 'cookie',
      expires_in: tokens.expires_in,
      refresh_expires_in: tokens.refresh_expires_in,
      csrf_token: csrfToken,
    };
  }

  /** Expires all three, with the Path and Domain they were set with (else the browser keeps them). */
  clear(reply: FastifyReply): void {
    reply.clearCookie(ACCESS_TOKEN_COOKIE, this.access);
    reply.clearCookie(REFRESH_TOKEN_COOKIE, this.refresh);
    reply.clearCookie(CSRF_TOKEN_COOKIE, this.csrf);
  }
}
