import { Injectable, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { API_PREFIX } from '../../api-prefix';
import { AuthRateLimitService } from '../../rate-limit/auth-rate-limit.service';
import type { User } from '../../users/user.entity';
import { INVALID_CREDENTIALS } from '../invalid-credentials';
import { parseTokenRequest } from '../login-body';

/** The refresh route's AUTH_RATE_LIMIT counter, which the refresh grant shares. */
const REFRESH_ROUTE = `POST /${API_PREFIX}/auth/refresh`;

/**
 * Guards the token endpoint, POST /auth/login: the password grant runs the local strategy; the
 * refresh grant has no credentials to check, and counts toward the refresh route's rate limit,
 * so that neither route lets a client refresh more often than the other.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  constructor(private readonly authRateLimit: AuthRateLimitService) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    // A malformed body is a 400 even when a credential is missing (the strategy is then skipped).
    const grant = parseTokenRequest(request.body);
    if (grant.type === 'refresh_token') {
      await this.authRateLimit.consume(REFRESH_ROUTE, request.ip);
      return true;
    }
    return super.canActivate(context) as Promise<boolean>;
  }

  override getRequest(context: ExecutionContext): FastifyRequest {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    // passport-local falls back to the query string; credentials in URLs end up in logs and
    // histories, so the contract ignores them.
    request.query = {};
    return request;
  }

  override handleRequest<TUser = User>(error: unknown, user: TUser | false): TUser {
    if (error instanceof Error) {
      throw error;
    }
    if (!user) {
      // passport-local's own failure: a missing username or password.
      throw new UnauthorizedException(INVALID_CREDENTIALS);
    }
    return user;
  }
}
