import {
  ForbiddenException,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ROLES_KEY, type RoleName } from '../decorators/roles.decorator';
import type { AuthenticatedRequest } from '../types/authenticated-request.type';

/**
 * The second global guard (APP_GUARD, registered after {@link JwtAuthGuard}): enforces
 * `@Roles()`. The handler's roles win over the controller's; a route without roles is left to
 * the JWT guard alone.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<RoleName[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required || required.length === 0) {
      return true;
    }
    const user = context.switchToHttp().getRequest<Partial<AuthenticatedRequest>>().user;
    // No user means the route is also @Public(): a role cannot be granted to an anonymous
    // caller, so the route stays closed rather than silently open.
    const held: readonly string[] = user?.roles ?? [];
    if (required.some((role) => held.includes(role))) {
      return true;
    }
    throw new ForbiddenException(`This action requires the ${required.join(' or ')} role`);
  }
}
