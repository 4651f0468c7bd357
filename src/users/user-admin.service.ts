import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import type { ClientInfo } from '../common/client-info';
import { containsPattern, type PaginationQueryDto } from '../common/dto/pagination-query.dto';
import { isUniqueViolation } from '../database/database-errors';
import { SecurityEventsService } from '../security-events/security-events.service';
import { SessionsService } from '../sessions/sessions.service';
import { PasswordHasher } from './password-hasher.service';
import { Role } from './role.enum';
import { userSearchCondition } from './user-search';
import { User } from './user.entity';
import { USERNAME_TAKEN_MESSAGE, UsersService } from './users.service';
import { inTransaction } from '../database/in-transaction';

/** What an admin may change on any account (`PATCH /users/:id`). */
export interface AdminUserChanges {
  isActive?: boolean;
  roles?: Role[];
  fullName?: string | null;
  username?: string;
  emailVerified?: boolean;
  /**
   * Only ever false (a lost device): the factor is off from the next login. Its seed and codes
   * stay in src/mfa's tables, unused while the switch is off, until the user sets it up again.
   */
  mfaEnabled?: false;
}

/** The admin making a change, as its security event records them. */
export interface AdminActor {
  userId: string;
  sessionId: string;
  client: ClientInfo;
}

export interface NewAdmin {
  email: string;
  username: string;
  password: string;
}

/** How an existing account becomes an admin (see {@link UserAdminService.promote}). */
export interface PromotionChange {
  /** The operator's password for the account; the caller has checked it against the rules. */
  password: string;
  /** Enable the account if it is disabled; without it a disabled account is left alone. */
  reactivate: boolean;
}

export const LAST_ADMIN_MESSAGE =
  'This change would leave no active admin: promote or enable another admin first';

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

/**
 * The admin's rulebook (the `/users` routes and the create-admin CLI): list, change, delete and
 * promote accounts, never leaving the application without an active admin.
 */
@Injectable()
export class UserAdminService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly usersService: UsersService,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly dataSource: DataSource,
    private readonly events: SecurityEventsService,
  ) {}

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
          this.dataSource.options.type === 'postgres',
        ),
        {
          pattern: containsPattern(query.search),
        },
      );
    }
    return builder.getManyAndCount();
  }

  /**
   * An admin's change to an account. Refused with 409 when it would disable or demote the last
   * active admin; disabling also ends the user's sessions, so re-enabling means a new login.
   * The change commits with its `user.updated_by_admin` event, which names the fields sent.
   */
  async update(id: string, changes: AdminUserChanges, actor: AdminActor): Promise<User> {
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
    if (changes.emailVerified !== undefined) {
      values.emailVerified = changes.emailVerified;
    }
    if (changes.mfaEnabled === false) {
      values.mfaEnabled = false;
    }
    if (Object.keys(values).length === 0) {
      return this.usersService.getById(id);
    }
    const mayRemoveAdmin =
      changes.isActive === false ||
      (changes.roles !== undefined && !changes.roles.includes(Role.Admin));
    let updated: boolean;
    try {
      updated = await this.withAdminChangeLock(mayRemoveAdmin, async (manager) => {
        const update = manager
          .createQueryBuilder()
          .update(User)
          .set(values)
          .where('"users"."id" = :id', { id, active: true });
        if (mayRemoveAdmin) {
          update.andWhere(LEAVES_AN_ACTIVE_ADMIN);
        }
        const { affected } = await update.execute();
        if (!affected) {
          return false;
        }
        if (changes.isActive === false) {
          await this.sessions.revokeAllForUser(id, manager);
        }
        await this.events.record(manager, {
          type: 'user.updated_by_admin',
          userId: id,
          actorId: actor.userId,
          sessionId: actor.sessionId,
          client: actor.client,
          details: { fields: Object.keys(values).sort() },
        });
        return true;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictException(USERNAME_TAKEN_MESSAGE);
      }
      throw error;
    }
    if (!updated) {
      await this.throwNotFoundOrLastAdmin(id);
    }
    return this.usersService.getById(id);
  }

  /**
   * Deletes the account; its sessions (and anything else it owns) go with it by foreign key.
   * Its security events stay, the `user.deleted_by_admin` one with them.
   */
  async delete(id: string, actor: AdminActor): Promise<void> {
    const affected = await this.withAdminChangeLock(true, async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .delete()
        .from(User)
        .where('"users"."id" = :id', { id, active: true })
        .andWhere(LEAVES_AN_ACTIVE_ADMIN)
        .execute();
      if (result.affected) {
        await this.events.record(manager, {
          type: 'user.deleted_by_admin',
          userId: id,
          actorId: actor.userId,
          sessionId: actor.sessionId,
          client: actor.client,
        });
      }
      return result.affected ?? 0;
    });
    if (affected === 0) {
      await this.throwNotFoundOrLastAdmin(id);
    }
  }

  /**
   * Creates an active admin (the bootstrap admin, the CLI's). The caller has checked the email,
   * username and password; a taken email or username is a ConflictException, as for anyone.
   */
  async createAdmin(account: NewAdmin): Promise<User> {
    return this.usersService.create({
      email: account.email,
      username: account.username,
      passwordHash: await this.passwords.hash(account.password),
      roles: [Role.User, Role.Admin],
      // The operator chose the address; nobody will click a link for it.
      emailVerified: true,
    });
  }

  /**
   * Makes an existing account an admin for the operator who runs the create-admin CLI: adds the
   * admin role (keeping the others), sets the operator's password and ends all of the account's
   * sessions, so whoever registered it keeps no way in. A disabled account is enabled only with
   * `reactivate`. The update applies only to the row as the caller showed it (same password hash,
   * and active unless `reactivate`); null when it changed meanwhile or is gone.
   */
  async promote(user: User, change: PromotionChange): Promise<User | null> {
    const roles = user.roles.includes(Role.Admin) ? user.roles : [...user.roles, Role.Admin];
    const passwordHash = await this.passwords.hash(change.password);
    const promoted = await inTransaction(this.dataSource, async (manager) => {
      const result = await manager.update(
        User,
        {
          id: user.id,
          passwordHash: user.passwordHash,
          ...(change.reactivate ? {} : { isActive: true }),
        },
        // Verified too: the operator named the address.
        { roles, passwordHash, isActive: true, emailVerified: true },
      );
      if (result.affected !== 1) {
        return false;
      }
      await this.sessions.revokeAllForUser(user.id, manager);
      return true;
    });
    return promoted ? this.usersService.getById(user.id) : null;
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
   * other as active (write skew), so such changes first take a transaction-scoped advisory lock;
   * the user's row, the end of their sessions and the event then commit together.
   */
  private async withAdminChangeLock<T>(
    needed: boolean,
    work: (manager: EntityManager) => Promise<T>,
  ): Promise<T> {
    return inTransaction(this.dataSource, async (manager) => {
      if (needed && this.dataSource.options.type === 'postgres') {
        await manager.query('SELECT pg_advisory_xact_lock($1)', [POSTGRES_ADMIN_CHANGE_LOCK_KEY]);
      }
      return work(manager);
    });
  }
}
