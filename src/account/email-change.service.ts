import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccountTokenPurpose } from '../account-tokens/account-token.entity';
import { AccountTokensService } from '../account-tokens/account-tokens.service';
import type { ClientInfo } from '../common/client-info';
import { AppConfig } from '../config/app-config';
import { inTransaction } from '../database/in-transaction';
import { SecurityEventsService } from '../security-events/security-events.service';
import { CurrentPasswordVerifier } from '../users/current-password.verifier';
import { EMAIL_TAKEN_MESSAGE, UsersService } from '../users/users.service';
import { AccountMailsService } from './account-mails.service';
import { INVALID_MAIL_TOKEN } from './account-flow-messages';
import type { ChangeEmailDto } from './dto/change-email.dto';

/** Moving an account to a new address, confirmed from that address. */
@Injectable()
export class EmailChangeService {
  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly currentPassword: CurrentPasswordVerifier,
    private readonly tokens: AccountTokensService,
    private readonly mails: AccountMailsService,
    private readonly events: SecurityEventsService,
  ) {}

  /**
   * Checks the body (400), then the current password (403, counted as a failed login of the
   * account and of the address, so it cannot be guessed here past the login limits), then
   * whether the address is free (409: told only to someone who knows the password). Queues the
   * confirmation link to the new address and a notice without a link to the current one; a
   * newer request replaces an older one's link. The email itself does not change yet.
   */
  async request(userId: string, dto: ChangeEmailDto, client: ClientInfo): Promise<void> {
    const user = await this.users.getById(userId);
    if (dto.newEmail.toLowerCase() === user.email.toLowerCase()) {
      throw new BadRequestException(['newEmail must differ from the current email']);
    }
    await this.currentPassword.verify(user, dto.currentPassword, client);
    if (await this.users.findByEmail(dto.newEmail)) {
      throw new ConflictException(EMAIL_TAKEN_MESSAGE);
    }
    await inTransaction(this.dataSource, async (manager) => {
      await this.tokens.revokeAll(manager, user.id, [AccountTokenPurpose.EmailChange]);
      const token = await this.tokens.issue(manager, {
        purpose: AccountTokenPurpose.EmailChange,
        userId: user.id,
        newEmail: dto.newEmail,
        ttlSeconds: this.config.accountFlows.emailTokenTtlSeconds,
      });
      await this.mails.emailChange(manager, user, dto.newEmail, token);
      await this.mails.emailChangeNotice(manager, user, dto.newEmail);
      await this.events.record(manager, {
        type: 'email.change_requested',
        userId: user.id,
        actorId: user.id,
        client,
      });
    });
  }

  /**
   * Spends the token and moves the account to its address, verified. Every other mailed token
   * of the user dies with the old address: a reset link sent there must not outlive the move.
   * Sessions are untouched; nobody is signed in. 409 (and the token stays unspent) when another
   * account took the address meanwhile.
   */
  async confirm(rawToken: string, client: ClientInfo): Promise<void> {
    const token = await this.tokens.findLive(AccountTokenPurpose.EmailChange, rawToken);
    if (!token?.newEmail) {
      throw new BadRequestException(INVALID_MAIL_TOKEN);
    }
    const newEmail = token.newEmail;
    await inTransaction(this.dataSource, async (manager) => {
      if (!(await this.tokens.consume(manager, token))) {
        throw new BadRequestException(INVALID_MAIL_TOKEN);
      }
      await this.users.changeEmail(token.userId, newEmail, manager);
      await this.tokens.revokeAll(manager, token.userId, Object.values(AccountTokenPurpose));
      await this.events.record(manager, {
        type: 'email.changed',
        userId: token.userId,
        actorId: token.userId,
        client,
      });
    });
  }
}
