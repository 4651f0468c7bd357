import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type EntityManager } from 'typeorm';
import { isUniqueViolation } from '../database/database-errors';
import { normalizeIdentity } from './identity-normalization';
import { Role } from './role.enum';
import { User } from './user.entity';

export interface NewUser {
  email: string;
  username: string;
  passwordHash: string;
  fullName?: string | null;
  roles?: Role[];
  /** Operator-made accounts (bootstrap admin, CLI) are verified; registrations are not. */
  emailVerified?: boolean;
}

export const USERNAME_TAKEN_MESSAGE = 'Username is already taken';
export const EMAIL_TAKEN_MESSAGE = 'Email is already taken';

/** The everyday reads and writes of accounts: lookups, registration, the user's own profile. */
@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

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
   * Login accepts either the email or the username, compared in their folded forms
   * (normalizeIdentity), where the unique indexes are. No email can equal a username: usernames
   * have no `@`.
   */
  findByEmailOrUsername(login: string): Promise<User | null> {
    const key = normalizeIdentity(login);
    return this.users
      .createQueryBuilder('user')
      .where('user.emailNormalized = :key OR user.usernameNormalized = :key', { key })
      .getOne();
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ emailNormalized: normalizeIdentity(email) });
  }

  /**
   * Inserts the user, in the caller's transaction when given one (registration writes its
   * verification mail and its event there); the database's unique indexes decide a clash, which becomes a 409.
   */
  async create(newUser: NewUser, manager?: EntityManager): Promise<User> {
    const users = manager?.getRepository(User) ?? this.users;
    const user = users.create({
      email: newUser.email,
      username: newUser.username,
      passwordHash: newUser.passwordHash,
      fullName: newUser.fullName ?? null,
      isActive: true,
      emailVerified: newUser.emailVerified ?? false,
      roles: newUser.roles ?? [Role.User],
    });
    try {
      return await users.save(user);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictException('Email or username is already taken');
      }
      throw error;
    }
  }

  /**
   * The unique index on the folded username decides a clash (409), so two users racing for
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

  async updatePasswordHash(
    userId: string,
    passwordHash: string,
    manager: EntityManager = this.users.manager,
  ): Promise<void> {
    await manager.update(User, { id: userId }, { passwordHash });
  }

  /** The owner proved the address (a mail link, or a password reset sent to it). */
  async markEmailVerified(
    userId: string,
    manager: EntityManager = this.users.manager,
  ): Promise<void> {
    await manager.update(User, { id: userId }, { emailVerified: true });
  }

  /**
   * Moves the account to an address its owner has just confirmed (so it is verified). The
   * case-insensitive unique index decides a clash with an account made meanwhile: 409.
   */
  async changeEmail(userId: string, email: string, manager: EntityManager): Promise<void> {
    try {
      await manager.update(User, { id: userId }, { email, emailVerified: true });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictException(EMAIL_TAKEN_MESSAGE);
      }
      throw error;
    }
  }

  /**
   * Replaces the password hash only if it is still `expectedHash`, the one the caller verified a
   * password against; false when it changed meanwhile (another password change, a reset) or the
   * user is gone, so a slower writer never overwrites a newer password. `manager` runs it in the
   * caller's transaction.
   */
  async replacePasswordHash(
    userId: string,
    expectedHash: string,
    passwordHash: string,
    manager: EntityManager = this.users.manager,
  ): Promise<boolean> {
    const result = await manager.update(
      User,
      { id: userId, passwordHash: expectedHash },
      { passwordHash },
    );
    return result.affected === 1;
  }

  /** The second factor's switch (src/mfa calls it inside the transaction that sets it up). */
  async setMfaEnabled(userId: string, enabled: boolean, manager?: EntityManager): Promise<void> {
    await (manager ?? this.users.manager).update(User, { id: userId }, { mfaEnabled: enabled });
  }
}
