import bcrypt from 'bcrypt';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Role } from '../../../src/users/role.enum';
import { User } from '../../../src/users/user.entity';

export const DEFAULT_TEST_PASSWORD = 'Tr0ub4dor&3-horse';

export interface TestUserOptions {
  email?: string;
  username?: string;
  password?: string;
  fullName?: string | null;
  roles?: Role[];
  isActive?: boolean;
  emailVerified?: boolean;
}

export interface TestUser {
  user: User;
  password: string;
}

/** A unique suffix, so tests sharing one PostgreSQL database never collide. */
export function uniqueName(prefix = 'user'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** Inserts a user straight into the database (bcrypt cost 4), bypassing the API. */
export async function createUser(
  dataSource: DataSource,
  options: TestUserOptions = {},
): Promise<TestUser> {
  const username = options.username ?? uniqueName();
  const password = options.password ?? DEFAULT_TEST_PASSWORD;
  const repository = dataSource.getRepository(User);
  const user = await repository.save(
    repository.create({
      email: options.email ?? `${username}@example.com`,
      username,
      fullName: options.fullName ?? null,
      passwordHash: await bcrypt.hash(password, 4),
      isActive: options.isActive ?? true,
      emailVerified: options.emailVerified ?? false,
      roles: options.roles ?? [Role.User],
    }),
  );
  return { user, password };
}
