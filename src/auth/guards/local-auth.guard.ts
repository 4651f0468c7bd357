import { Injectable, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import type { User } from '../../users/user.entity';
import { INVALID_CREDENTIALS } from '../invalid-credentials';
import { assertLoginBody } from '../login-body';

/** Runs the local strategy on POST /auth/login. */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  override getRequest(context: ExecutionContext): FastifyRequest {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    // passport-local falls back to the query string; credentials in URLs end up in logs and
    // histories, so the contract ignores them.
    request.query = {};
    // A malformed body is a 400 even when a credential is missing (the strategy is then skipped).
    assertLoginBody(request.body);
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
