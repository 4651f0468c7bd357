import { ConflictException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { isUniqueViolation } from '../database/database-errors';
import { Role } from './role.enum';
import { User } from './user.entity';

export interface NewUser {
  email: string;
  username: string;
  passwordHash: string;
  fullName?: string | null;
  roles?: Role[];
}

@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
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

  async updatePasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.users.update({ id: userId }, { passwordHash });
  }
}
