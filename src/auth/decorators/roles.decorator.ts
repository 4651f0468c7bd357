import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiForbiddenResponse } from '@nestjs/swagger';
import type { Role } from '../../users/role.enum';

export const ROLES_KEY = 'roles';

/** A role, as the enum member or its string value (`Role.Admin` or `'admin'`). */
export type RoleName = Role | `${Role}`;

/**
 * Restricts a route, or every route of a controller, to users holding at least one of the
 * roles (at least one must be named). A handler's own `@Roles()` replaces its controller's. Runs after the JWT guard, so the
 * roles checked are the ones the user has on this very request.
 *
 * @example
 * ```ts
 * @Roles('admin')
 * @Controller('users')
 * export class UsersController {}
 * ```
 */
export const Roles = (...roles: [RoleName, ...RoleName[]]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiForbiddenResponse({ description: `Requires the role ${roles.join(' or ')}` }),
  );
