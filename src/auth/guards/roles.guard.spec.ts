import { ForbiddenException, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { Role } from '../../users/role.enum';
import { Public } from '../decorators/public.decorator';
import { Roles, type RoleName } from '../decorators/roles.decorator';
import { RolesGuard } from './roles.guard';

class Open {
  handler(): void {}
  @Roles('admin')
  adminHandler(): void {}
  @Roles(Role.User)
  userHandler(): void {}
  @Roles('admin', 'user')
  eitherHandler(): void {}
  @Public()
  @Roles('admin')
  publicAdminHandler(): void {}
}

@Roles('admin')
class AdminOnly {
  handler(): void {}
  @Roles('user')
  userHandler(): void {}
}

@Roles(Role.User)
class UsersOnly {
  handler(): void {}
  @Roles('admin')
  adminHandler(): void {}
}

type Controller = new () => object;

/** A hand-built HTTP context, as Nest gives a guard, with `user` on the request when signed in. */
function contextFor(
  controller: Controller,
  handlerName: string,
  roles: RoleName[] | undefined,
): ExecutionContext {
  const request = roles === undefined ? {} : { user: { id: 'u1', roles } };
  const handler = (controller.prototype as Record<string, () => void>)[handlerName];
  const context = new ExecutionContextHost([request, {}, undefined], controller, handler);
  context.setType('http');
  return context;
}

describe(RolesGuard.name, () => {
  const guard = new RolesGuard(new Reflector());
  const check = (controller: Controller, handler: string, roles?: RoleName[]): boolean =>
    guard.canActivate(contextFor(controller, handler, roles));

  describe.each<[string, Controller, string, RoleName[] | undefined, boolean]>([
    // No @Roles anywhere: left to the JWT guard.
    ['no roles, a user', Open, 'handler', ['user'], true],
    ['no roles, an admin', Open, 'handler', ['admin'], true],
    ['no roles, no user (public route)', Open, 'handler', undefined, true],
    ['no roles, a user with no roles', Open, 'handler', [], true],
    // Handler-level roles.
    ['handler admin, an admin', Open, 'adminHandler', ['admin'], true],
    ['handler admin, a user-and-admin', Open, 'adminHandler', ['user', 'admin'], true],
    ['handler admin, a user', Open, 'adminHandler', ['user'], false],
    ['handler admin, no roles', Open, 'adminHandler', [], false],
    ['handler admin, no user', Open, 'adminHandler', undefined, false],
    ['handler user, a user', Open, 'userHandler', ['user'], true],
    ['handler user, an admin only', Open, 'userHandler', ['admin'], false],
    ['handler admin or user, a user', Open, 'eitherHandler', ['user'], true],
    ['handler admin or user, an admin', Open, 'eitherHandler', ['admin'], true],
    ['handler admin or user, no roles', Open, 'eitherHandler', [], false],
    ['@Public and admin, no user', Open, 'publicAdminHandler', undefined, false],
    ['@Public and admin, an admin', Open, 'publicAdminHandler', ['admin'], true],
    // Class-level roles apply to every handler without its own.
    ['class admin, an admin', AdminOnly, 'handler', ['admin'], true],
    ['class admin, a user', AdminOnly, 'handler', ['user'], false],
    ['class admin, no user', AdminOnly, 'handler', undefined, false],
    // The handler wins over the class, both ways.
    ['class admin, handler user, a user', AdminOnly, 'userHandler', ['user'], true],
    ['class admin, handler user, an admin only', AdminOnly, 'userHandler', ['admin'], false],
    ['class user, handler admin, a user', UsersOnly, 'adminHandler', ['user'], false],
    ['class user, handler admin, an admin', UsersOnly, 'adminHandler', ['admin'], true],
    ['class user, a user', UsersOnly, 'handler', ['user'], true],
    ['class user, an admin only', UsersOnly, 'handler', ['admin'], false],
  ])('%s', (_title, controller, handler, roles, allowed) => {
    it(allowed ? 'lets the request through' : 'refuses the request with 403', () => {
      if (allowed) {
        expect(check(controller, handler, roles)).toBe(true);
      } else {
        expect(() => check(controller, handler, roles)).toThrow(ForbiddenException);
      }
    });
  });

  it('names the required roles in the 403 message', () => {
    expect(() => check(Open, 'eitherHandler', [])).toThrow(
      'This action requires the admin or user role',
    );
  });

  it('ignores role strings that are not exact matches', () => {
    expect(() => check(AdminOnly, 'handler', ['Admin' as Role, 'admins' as Role])).toThrow(
      ForbiddenException,
    );
  });
});
