import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, Repository } from 'typeorm';
import { containsPattern, type PaginationQueryDto } from '../common/dto/pagination-query.dto';
import { isUniqueViolation } from '../database/database-errors';
import { Session } from '../sessions/session.entity';
import { userSearchCondition } from './user-search';
import { Role } from './role.enum';
import { User } from './user.entity';

export interface NewUser {
  email: string;
  username: string;
  passwordHash: string;
  fullName?: string | null;
  roles?: Role[];
}

/** What an admin may change on any account (`PATCH /users/:id`). */
export interface AdminUserChanges {
  isActive?: boolean;
  roles?: Role[];
  fullName?: string | null;
  username?: string;
  /**
   * Only ever false: the factor is off from the next login. Its seed and codes stay in src/mfa's
   * tables, unused while the switch is off, until the user sets the factor up again.
   */
  mfaEnabled?: false;
}

export const LAST_ADMIN_MESSAGE =
  'This change would leave no active admin: promote or enable another admin first';
export const USERNAME_TAKEN_MESSAGE = 'Username is already taken';

// Any fixed 64-bit number, distinct from the start-up lock's.
const POSTGRES_ADMIN_CHANGE_LOCK_KEY = 7_345_120_982;

/** SQL true when the row `alias` is an active admin. Roles are stored as "user,admin". */
const activeAdmin = (alias: string): string =>
  `(${alias}."isActive" = :active AND (',' || ${alias}."roles" || ',') LIKE '%,admin,%')`;

/**
 * The condition a change that may remove an admin carries: the target row is not an active admin
 * now, or another active admin remains. Checked by the database inside the UPDATE/DELETE itself.
 */
const LEAVES_AN_ACTIVE_ADMIN =
  `(NOT ${activeAdmin('"users"')} OR EXISTS (SELECT 1 FROM "users" "other" ` +
  `WHERE "other"."id" <> :id AND ${activeAdmin('"other"')}))`;

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    private readonly dataSource: DataSource,
  ) {}

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  async getById(id: string): Promise<User> {
    const user = await this.findById(id);
    if (!user) {
      throw new NotFoundException('User not found');
    }
    return user;
  }

  /**
   * Login accepts either the email or the username, both case-insensitively. The database folds
   * both sides, as its unique indexes on lower(...) do: SQLite's lower() folds ASCII only, so a
   * login folded by JavaScript would never match an email such as `Élodie@example.com` there.
   */
  findByEmailOrUsername(login: string): Promise<User | null> {
    return this.users
      .createQueryBuilder('user')
      .where('lower(user.email) = lower(:login) OR lower(user.username) = lower(:login)', {
        login,
      })
      .getOne();
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users
      .createQueryBuilder('user')
      .where('lower(user.email) = :email', { email: email.toLowerCase() })
      .getOne();
  }

  /**
   * One page of users, oldest first; the id breaks ties between equal timestamps so that pages
   * never overlap or skip a user.
   */
  list(query: PaginationQueryDto): Promise<[User[], number]> {
    const builder = this.users
      .createQueryBuilder('user')
      .orderBy('user.createdAt', 'ASC')
      .addOrderBy('user.id', 'ASC')
      .offset(query.offset)
      .limit(query.limit);
    if (query.search) {
      builder.where(
        userSearchCondition(
          (name) => `user.${name}`,
          ':pattern',
          this.users.manager.connection.options.type === 'postgres',
        ),
        {
          pattern: containsPattern(query.search),
        },
      );
    }
    return builder.getManyAndCount();
  }

  /** Inserts the user; the database's unique indexes decide a clash, which becomes a 409. */
  async create(newUser: NewUser): Promise<User> {
    const user = this.users.create({
      email: newUser.email,
      username: newUser.username,
      passwordHash: newUser.passwordHash,
      fullName: newUser.fullName ?? null,
      isActive: true,
      roles: newUser.roles ?? [Role.User],
    });
    try {
      return await this.users.save(user);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictException('Email or username is already taken');
      }
      throw error;
    }
  }

  /**
   * The username's case-insensitive unique index decides a clash (409), so two users racing for
   * one name cannot both get it.
   */
  async updateProfile(
    id: string,
    changes: Partial<Pick<User, 'username' | 'fullName'>>,
  ): Promise<User> {
    if (Object.keys(changes).length > 0) {
      try {
        await this.users.update({ id }, changes);
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new ConflictException(USERNAME_TAKEN_MESSAGE);
        }
        throw error;
      }
    }
    return this.getById(id);
  }

  async updatePasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.users.update({ id: userId }, { passwordHash });
  }

  /** The second factor's switch (src/mfa calls it inside the transaction that sets it up). */
  async setMfaEnabled(userId: string, enabled: boolean, manager?: EntityManager): Promise<void> {
    await (manager ?? this.users.manager).update(User, { id: userId }, { mfaEnabled: enabled });
  }

  /**
   * An admin's change to an account. Refused with 409 when it would disable or demote the last
   * active admin; disabling also ends the user's sessions, so re-enabling means a new login.
   */
  async updateByAdmin(id: string, changes: AdminUserChanges): Promise<User> {
    const values: Partial<User> = {};
    if (changes.isActive !== undefined) {
      values.isActive = changes.isActive;
    }
    if (changes.roles !== undefined) {
      values.roles = changes.roles;
    }
    if (changes.fullName !== undefined) {
      values.fullName = changes.fullName;
    }
    if (changes.username !== undefined) {
      values.username = changes.username;
    }
    if (changes.mfaEnabled === false) {
      values.mfaEnabled = false;
    }
    if (Object.keys(values).length === 0) {
      return this.getById(id);
    }
    const mayRemoveAdmin =
      changes.isActive === false ||
      (changes.roles !== undefined && !changes.roles.includes(Role.Admin));
    let affected: number;
    try {
      affected = await this.withAdminChangeLock(mayRemoveAdmin, async (manager) => {
        const update = manager
          .createQueryBuilder()
          .update(User)
          .set(values)
          .where('"users"."id" = :id', { id, active: true });
        if (mayRemoveAdmin) {
          update.andWhere(LEAVES_AN_ACTIVE_ADMIN);
        }
        const result = await update.execute();
        if (changes.isActive === false && result.affected) {
          await manager.update(
            Session,
            { userId: id, revokedAt: IsNull() },
            { revokedAt: new Date() },
          );
        }
        return result.affected ?? 0;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictException(USERNAME_TAKEN_MESSAGE);
      }
      throw error;
    }
    if (affected === 0) {
      await this.throwNotFoundOrLastAdmin(id);
    }
    return this.getById(id);
  }

  /** Deletes the account; its sessions (and anything else it owns) go with it by foreign key. */
  async deleteByAdmin(id: string): Promise<void> {
    const affected = await this.withAdminChangeLock(true, async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .delete()
        .from(User)
        .where('"users"."id" = :id', { id, active: true })
        .andWhere(LEAVES_AN_ACTIVE_ADMIN)
        .execute();
      return result.affected ?? 0;
    });
    if (affected === 0) {
      await this.throwNotFoundOrLastAdmin(id);
    }
  }

  /** Makes a user an active admin, keeping their other roles. */
  async promoteToAdmin(user: User): Promise<User> {
    const roles = user.roles.includes(Role.Admin) ? user.roles : [...user.roles, Role.Admin];
    await this.users.update({ id: user.id }, { roles, isActive: true });
    return this.getById(user.id);
  }

  private async throwNotFoundOrLastAdmin(id: string): Promise<never> {
    if (await this.users.existsBy({ id })) {
      throw new ConflictException(LAST_ADMIN_MESSAGE);
    }
    throw new NotFoundException('User not found');
  }

  /**
   * The conditional statement alone is atomic on SQLite, which runs one writer at a time. Under
   * PostgreSQL's READ COMMITTED two admins demoting each other at once would each still see the
   * other as active (write skew), so such changes first take a transaction-scoped advisory lock.
   */
  private async withAdminChangeLock<T>(
    needed: boolean,
    work: (manager: EntityManager) => Promise<T>,
  ): Promise<T> {
    if (!needed || this.dataSource.options.type !== 'postgres') {
      return work(this.dataSource.manager);
    }
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [POSTGRES_ADMIN_CHANGE_LOCK_KEY]);
      return work(manager);
    });
  }
}
