import { BadRequestException, ForbiddenException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inTransaction } from '../database/in-transaction';
import { SecurityEventsService } from '../security-events/security-events.service';
import { SessionsService } from '../sessions/sessions.service';
import type { ClientInfo } from '../common/client-info';
import { CurrentPasswordVerifier, WRONG_CURRENT_PASSWORD } from './current-password.verifier';
import type { ChangePasswordDto } from './dto/change-password.dto';
import type { UpdateMeDto } from './dto/update-me.dto';
import { PasswordHasher } from './password-hasher.service';
import type { User } from './user.entity';
import { UsersService } from './users.service';
import { passwordStrengthProblem } from './validation/password-policy';

/** What signed-in users do to their own account: edit the profile, change the password. */
@Injectable()
export class MeService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordHasher,
    private readonly currentPassword: CurrentPasswordVerifier,
    private readonly sessions: SessionsService,
    private readonly events: SecurityEventsService,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * Tokens already issued keep the old name in their `username` claim until they are refreshed;
   * `sub` is what identifies the user.
   */
  updateProfile(userId: string, dto: UpdateMeDto): Promise<User> {
    const changes: Partial<Pick<User, 'username' | 'fullName'>> = {};
    if (dto.username !== undefined) {
      changes.username = dto.username;
    }
    if (dto.fullName !== undefined) {
      changes.fullName = dto.fullName;
    }
    return this.users.updateProfile(userId, changes);
  }

  /**
   * Applies the password policy with the user's own email and username, then needs the current
   * password (checked and limited by CurrentPasswordVerifier), then ends every other session:
   * whoever else held one is signed out, while the caller stays signed in. The new password is
   * judged first, so a refused one gets the same 400 whether the current password was right. The
   * new hash, the ended sessions and the `password.changed` event commit together.
   */
  async changePassword(
    userId: string,
    keepSessionId: string,
    dto: ChangePasswordDto,
    client: ClientInfo,
  ): Promise<void> {
    // Reloaded rather than taken from the request: the hash must be the stored one, now.
    const user = await this.users.getById(userId);
    const problem = passwordStrengthProblem(dto.newPassword, user);
    if (problem) {
      throw new BadRequestException([problem.replace(/^password/, 'newPassword')]);
    }
    await this.currentPassword.verify(user, dto.currentPassword, client);
    const newHash = await this.passwords.hash(dto.newPassword);
    const changed = await inTransaction(this.dataSource, async (manager) => {
      if (!(await this.users.replacePasswordHash(userId, user.passwordHash, newHash, manager))) {
        return false;
      }
      await this.sessions.revokeAllExcept(userId, keepSessionId, manager);
      await this.events.record(manager, {
        type: 'password.changed',
        userId,
        actorId: userId,
        sessionId: keepSessionId,
        client,
      });
      return true;
    });
    if (!changed) {
      // Another change of the password won the race: the one checked is no longer current.
      throw new ForbiddenException(WRONG_CURRENT_PASSWORD);
    }
  }
}
