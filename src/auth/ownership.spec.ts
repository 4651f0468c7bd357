import { ForbiddenException } from '@nestjs/common';
import { Role } from '../users/role.enum';
import type { User } from '../users/user.entity';
import { assertOwnerOrAdmin, isOwnerOrAdmin } from './ownership';

const someone = (id: string, roles: Role[]): User => ({ id, roles }) as User;

describe('assertOwnerOrAdmin', () => {
  it.each<[string, User, string, boolean]>([
    ['the owner', someone('a', [Role.User]), 'a', true],
    ['an admin who is not the owner', someone('b', [Role.Admin]), 'a', true],
    ['a user-and-admin who is not the owner', someone('b', [Role.User, Role.Admin]), 'a', true],
    ['another user', someone('b', [Role.User]), 'a', false],
    ['a user with no roles', someone('b', []), 'a', false],
    ['an owner with no roles', someone('a', []), 'a', true],
  ])('decides for %s', (_title, user, ownerId, allowed) => {
    expect(isOwnerOrAdmin(user, ownerId)).toBe(allowed);
    if (allowed) {
      expect(() => assertOwnerOrAdmin(user, ownerId)).not.toThrow();
    } else {
      expect(() => assertOwnerOrAdmin(user, ownerId, 'post')).toThrow(
        new ForbiddenException('Only the author of this post or an admin can change it'),
      );
    }
  });
});
