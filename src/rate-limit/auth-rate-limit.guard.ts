import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AuthRateLimitService } from './auth-rate-limit.service';

/**
 * Applies AUTH_RATE_LIMIT to a route, per client address (request.ip, which honours
 * TRUST_PROXY). The counter lives in {@link AuthRateLimitService}, a singleton, because Nest
 * makes one guard instance per module that uses it.
 */
@Injectable()
export class AuthRateLimitGuard implements CanActivate {
  constructor(private readonly limits: AuthRateLimitService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const route = request.routeOptions.url ?? request.url;
    await this.limits.consume(`${request.method} ${route}`, request.ip);
    return true;
  }
}
