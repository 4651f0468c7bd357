import { BadRequestException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccountTokenPurpose } from '../account-tokens/account-token.entity';
import { AccountTokensService } from '../account-tokens/account-tokens.service';
import type { ClientInfo } from '../common/client-info';
import { AppConfig } from '../config/app-config';
import { inTransaction } from '../database/in-transaction';
import { LoginAttemptsService } from '../rate-limit/login-attempts.service';
import { SecurityEventsService } from '../security-events/security-events.service';
import { SessionsService } from '../sessions/sessions.service';
import { PasswordHasher } from '../users/password-hasher.service';
import { UsersService } from '../users/users.service';
import { passwordStrengthProblem } from '../users/validation/password-policy';
import { AccountMailsService } from './account-mails.service';
import { INVALID_MAIL_TOKEN } from './account-flow-messages';
import { AfterResponse } from './after-response.service';

/** Forgot password and reset by mail. */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly tokens: AccountTokensService,
    private readonly loginAttempts: LoginAttemptsService,
    private readonly mails: AccountMailsService,
    private readonly afterResponse: AfterResponse,
    private readonly events: SecurityEventsService,
  ) {}

  /**
   * Mails a reset link to an active account with this address, after the caller has answered
   * (see AfterResponse): the answer is the same, in the same time, for any address. Earlier
   * links stay valid until they expire or a reset succeeds.
   */
  requestReset(email: string, client: ClientInfo): Promise<void> {
    return this.afterResponse.run('Password reset request', async () => {
      const user = await this.users.findByEmail(email);
      if (!user?.isActive) {
        return;
      }
      await inTransaction(this.dataSource, async (manager) => {
        const token = await this.tokens.issue(manager, {
          purpose: AccountTokenPurpose.PasswordReset,
          userId: user.id,
          ttlSeconds: this.config.accountFlows.passwordResetTtlSeconds,
        });
        await this.mails.passwordReset(manager, user, token);
        // Whoever asked is not known: anyone may type an address.
        await this.events.record(manager, {
          type: 'password.reset_requested',
          userId: user.id,
          actorId: null,
          client,
        });
      });
    });
  }

  /**
   * Sets the new password and, in the same transaction, spends the token, kills the user's other
   * reset links, ends every session, and queues the "password changed" mail. The token is looked
   * up first without being spent, so a new password the policy refuses for this user (400)
   * leaves the link usable; the spend itself is one conditional UPDATE, so of concurrent resets
   * with one token exactly one succeeds.
   */
  async reset(rawToken: string, newPassword: string, client: ClientInfo): Promise<void> {
    const token = await this.tokens.findLive(AccountTokenPurpose.PasswordReset, rawToken);
    const user = token && (await this.users.findById(token.userId));
    if (!token || !user?.isActive) {
      throw new BadRequestException(INVALID_MAIL_TOKEN);
    }
    const problem = passwordStrengthProblem(newPassword, user);
    if (problem) {
      throw new BadRequestException([problem.replace(/^password/, 'newPassword')]);
    }
    const passwordHash = await this.passwords.hash(newPassword);
    await inTransaction(this.dataSource, async (manager) => {
      if (!(await this.tokens.consume(manager, token))) {
        throw new BadRequestException(INVALID_MAIL_TOKEN);
      }
      await this.users.updatePasswordHash(user.id, passwordHash, manager);
      // The link reached the owner's mailbox, which proves the address as a verification would.
      await this.users.markEmailVerified(user.id, manager);
      await this.tokens.revokeAll(manager, user.id, [AccountTokenPurpose.PasswordReset]);
      await this.sessions.revokeAllForUser(user.id, manager);
      await this.mails.passwordChanged(manager, user);
      await this.events.record(manager, {
        type: 'password.reset',
        userId: user.id,
        actorId: user.id,
        client,
      });
    });
    // Whoever was guessing the old password is locked out by the new one; the owner is not.
    await this.loginAttempts.clearAccount(user.id);
  }
}
