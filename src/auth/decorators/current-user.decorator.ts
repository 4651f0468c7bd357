import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { User } from '../../users/user.entity';
import type { AuthenticatedRequest } from '../types/authenticated-request.type';

/** The data fields of a user (its methods and getters excluded). */
export type UserField = {
  [K in keyof User]: User[K] extends (...args: never[]) => unknown ? never : K;
}[keyof User];

/**
 * The signed-in user, loaded and checked active by the JWT guard on this very request, or one
 * of its fields.
 *
 * @example
 * ```ts
 * @Get('me')
 * me(@CurrentUser() user: User) {}
 *
 * @Post()
 * create(@CurrentUser('id') authorId: string) {}
 * ```
 */
export const CurrentUser = createParamDecorator(
  (field: UserField | undefined, context: ExecutionContext) => {
    const request = context.switchToHttp().getRequest<Partial<AuthenticatedRequest>>();
    const user = request.user;
    if (!user) {
      // Reached only when a route is @Public() yet asks for the user: a programming error.
      throw new Error('@CurrentUser() used on a route without an authenticated user');
    }
    return field ? user[field] : user;
  },
);
