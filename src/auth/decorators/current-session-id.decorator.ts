import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from '../types/authenticated-request.type';

/**
 * The id of the session the caller's access token belongs to (its `sid` claim), checked live by
 * the JWT guard on this very request.
 *
 * @example
 * ```ts
 * @Post('logout')
 * logout(@CurrentSessionId() sessionId: string) {}
 * ```
 */
export const CurrentSessionId = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string => {
    const request = context.switchToHttp().getRequest<Partial<AuthenticatedRequest>>();
    const sessionId = request.accessToken?.sid;
    if (!sessionId) {
      // Reached only when a route is @Public() yet asks for the session: a programming error.
      throw new Error('@CurrentSessionId() used on a route without an authenticated session');
    }
    return sessionId;
  },
);
