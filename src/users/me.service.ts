import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { isUniqueViolation } from '../database/database-errors';
import { SessionsService } from '../sessions/sessions.service';
import type { ChangePasswordDto } from './dto/change-password.dto';
import type { UpdateMeDto } from './dto/update-me.dto';
import { PasswordHasher } from './password-hasher.service';
import { User } from './user.entity';
import { passwordStrengthProblem } from './validation/password-policy';

/** What signed-in users do to their own account: edit the profile, change the password. */
@Injectable()
export class MeService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionsService,
  ) {}

  /**
   * The username's case-insensitive unique index decides a clash (409), so two users racing for
   * one name cannot both get it. Tokens already issued keep the old name in their `username`
   * claim until they are refreshed; `sub` is what identifies the user.
   */
  async updateProfile(userId: string, dto: UpdateMeDto): Promise<User> {
    const changes: Partial<Pick<User, 'username' | 'fullName'>> = {};
    if (dto.username !== undefined) {
      changes.username = dto.username;
    }
    if (dto.fullName !== undefined) {
      changes.fullName = dto.fullName;
    }
    if (Object.keys(changes).length > 0) {
      try {
        await this.users.update({ id: userId }, changes);
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new ConflictException('Username is already taken');
        }
        throw error;
      }
    }
    return this.loadUser(userId);
  }

  /**
   * Needs the current password (403 when wrong), applies the password policy with the user's
   * own email and username, then ends every other session: whoever else held one is signed out,
   * while the caller stays signed in.
   */
  async changePassword(
    userId: string,
    keepSessionId: string,
    dto: ChangePasswordDto,
  ): Promise<void> {
    // Reloaded rather than taken from the request: the hash must be the stored one, now.
    const user = await this.loadUser(userId);
    if (!(await this.passwords.verify(dto.currentPassword, user.passwordHash))) {
      throw new ForbiddenException('The current password is incorrect');
    }
    const problem = passwordStrengthProblem(dto.newPassword, user);
    if (problem) {
      throw new BadRequestException([problem.replace(/^password/, 'newPassword')]);
    }
    await this.users.update(
      { id: userId },
      { passwordHash: await this.passwords.hash(dto.newPassword) },
    );
    await this.sessions.revokeAllExcept(userId, keepSessionId);
  }

  private async loadUser(userId: string): Promise<User> {
    const user = await this.users.findOneBy({ id: userId });
    if (!user) {
      // Deleted between the guard's check and now.
      throw new NotFoundException('User not found');
    }
    return user;
  }
}
