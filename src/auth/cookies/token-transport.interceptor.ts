import {
  BadRequestException,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
import type { CookieTokenResponseDto } from '../dto/cookie-token-response.dto';
import type { TokenResponseDto } from '../dto/token-response.dto';
import { CSRF_TOKEN_COOKIE } from './auth-cookies';
import { AuthCookies, generateCsrfToken } from './auth-cookies.service';
import { isRefreshByCookie } from './refresh-cookie.guard';

export const AUTH_TRANSPORT_HEADER = 'x-auth-transport';

type Transport = 'bearer' | 'cookie';

/**
 * Delivers the tokens a handler issued as the client asked: in the body (the default), or, with
 * `X-Auth-Transport: cookie`, in HttpOnly cookies with a body that holds none. A refresh that
 * came by cookie answers by cookie too, so HttpOnly tokens never reach a script.
 */
@Injectable()
export class TokenTransportInterceptor implements NestInterceptor<
  TokenResponseDto,
  TokenResponseDto | CookieTokenResponseDto
> {
  constructor(private readonly cookies: AuthCookies) {}

  intercept(
    context: ExecutionContext,
    next: CallHandler<TokenResponseDto>,
  ): Observable<TokenResponseDto | CookieTokenResponseDto> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    // Checked before the handler runs, so a bad header spends no refresh token.
    if (transportOf(request) === 'bearer') {
      return next.handle();
    }
    const reply = http.getResponse<FastifyReply>();
    // A cookie refresh has just proved it holds this CSRF token: keep it, so other tabs of the
    // app that read it earlier go on working.
    const kept = isRefreshByCookie(request) ? request.cookies[CSRF_TOKEN_COOKIE] : undefined;
    return next
      .handle()
      .pipe(map((tokens) => this.cookies.write(reply, tokens, kept ?? generateCsrfToken())));
  }
}

function transportOf(request: FastifyRequest): Transport {
  if (isRefreshByCookie(request)) {
    return 'cookie';
  }
  const header = request.headers[AUTH_TRANSPORT_HEADER];
  if (header === undefined) {
    return 'bearer';
  }
  const value = typeof header === 'string' ? header.trim().toLowerCase() : '';
  if (value === 'cookie' || value === 'bearer') {
    return value;
  }
  throw new BadRequestException('X-Auth-Transport must be "cookie" or "bearer"');
}
