import { ForbiddenException } from '@nestjs/common';
import { Role } from '../users/role.enum';
import type { User } from '../users/user.entity';

/**
 * The ownership rule, in one place for every module: a record may be changed by its owner or by
 * an admin. Call it in the service once the record is loaded (so that an unknown id is a 404
 * before it is a 403).
 *
 * @example
 * ```ts
 * const post = await this.getById(id);
 * assertOwnerOrAdmin(user, post.authorId, 'post');
 * ```
 */
export function assertOwnerOrAdmin(user: User, ownerId: string, noun = 'record'): void {
  if (isOwnerOrAdmin(user, ownerId)) {
    return;
  }
  throw new ForbiddenException(`Only the author of this ${noun} or an admin can change it`);
}

export function isOwnerOrAdmin(user: Pick<User, 'id' | 'roles'>, ownerId: string): boolean {
  return user.id === ownerId || user.roles.includes(Role.Admin);
}
