import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { AuthRateLimitGuard } from './auth-rate-limit.guard';

/**
 * Limits the route to AUTH_RATE_LIMIT requests per minute per client address (429 with
 * `Retry-After` beyond). For the routes that cost work or reveal something: register, refresh,
 * `PATCH /users/me` (a 409 reveals a taken username) and the password change (the strength
 * check). Not for general use: a global throttle turns load into 429s.
 *
 * @example
 * ```ts
 * @Public()
 * @AuthRateLimit()
 * @Post('refresh')
 * refresh(@Body() dto: RefreshTokenDto) { ... }
 * ```
 */
export const AuthRateLimit = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    UseGuards(AuthRateLimitGuard),
    ApiTooManyRequestsResponse({
      description: 'Too many requests from this address; see Retry-After',
      headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } },
    }),
  );
