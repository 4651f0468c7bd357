import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { User } from '../../users/user.entity';
import { usesAccessTokenCookie } from './auth-cookies';
import { CsrfCheck } from './csrf-check';

/**
 * Global guard, after the JWT guard: a request the `access_token` cookie authenticated must pass
 * the CSRF check (403 otherwise). Bearer requests and public routes are not concerned.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(private readonly csrf: CsrfCheck) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: User }>();
    // The JWT guard attached a user: the route is guarded and the caller authenticated.
    if (request.user !== undefined && usesAccessTokenCookie(request)) {
      this.csrf.assert(request);
    }
    return true;
  }
}
