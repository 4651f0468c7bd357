import { BadRequestException, Injectable } from '@nestjs/common';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { DataSource, type EntityManager } from 'typeorm';
import { AccountTokenPurpose } from '../account-tokens/account-token.entity';
import { AccountTokensService } from '../account-tokens/account-tokens.service';
import type { ClientInfo } from '../common/client-info';
import { AppConfig } from '../config/app-config';
import { inTransaction } from '../database/in-transaction';
import { RateLimiterFactory } from '../rate-limit/rate-limiter.factory';
import { SecurityEventsService } from '../security-events/security-events.service';
import type { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { AccountMailsService } from './account-mails.service';
import { INVALID_MAIL_TOKEN } from './account-flow-messages';
import { AfterResponse } from './after-response.service';

/** Verification mails asked for again, per account and hour (the contract's limit). */
export const RESENDS_PER_HOUR = 3;

/** Proving that an account's address belongs to its owner. */
@Injectable()
export class EmailVerificationService {
  private readonly resends: RateLimiterAbstract;

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly tokens: AccountTokensService,
    private readonly mails: AccountMailsService,
    private readonly afterResponse: AfterResponse,
    private readonly events: SecurityEventsService,
    limiters: RateLimiterFactory,
  ) {
    // On the shared store (Redis when configured), so the limit holds across instances.
    this.resends = limiters.create({
      name: 'verification-resend',
      points: RESENDS_PER_HOUR,
      windowSeconds: 3600,
    });
  }

  /** Queues the link in the caller's transaction: registration's, beside the new user's row. */
  async queueLink(manager: EntityManager, user: User): Promise<void> {
    const token = await this.tokens.issue(manager, {
      purpose: AccountTokenPurpose.EmailVerify,
      userId: user.id,
      ttlSeconds: this.config.accountFlows.emailTokenTtlSeconds,
    });
    await this.mails.emailVerify(manager, user, token);
  }

  /**
   * Mails a fresh link to an active, unverified account with this address, after the caller
   * has answered (see AfterResponse), at most {@link RESENDS_PER_HOUR} times an hour; earlier
   * links stay valid. Past the limit nothing is sent and nothing tells the caller.
   */
  resend(email: string): Promise<void> {
    return this.afterResponse.run('Verification resend', async () => {
      const user = await this.users.findByEmail(email);
      if (!user?.isActive || user.emailVerified) {
        return;
      }
      const allowed = await this.resends.consume(user.id).then(
        () => true,
        (rejection: unknown) => {
          if (rejection instanceof Error) {
            throw rejection;
          }
          return false;
        },
      );
      if (allowed) {
        await inTransaction(this.dataSource, (manager) => this.queueLink(manager, user));
      }
    });
  }

  /** Spends the token and marks the address verified; 400 for any token that is not live. */
  async verify(rawToken: string, client: ClientInfo): Promise<void> {
    const token = await this.tokens.findLive(AccountTokenPurpose.EmailVerify, rawToken);
    if (!token) {
      throw new BadRequestException(INVALID_MAIL_TOKEN);
    }
    await inTransaction(this.dataSource, async (manager) => {
      if (!(await this.tokens.consume(manager, token))) {
        throw new BadRequestException(INVALID_MAIL_TOKEN);
      }
      await this.users.markEmailVerified(token.userId, manager);
      await this.events.record(manager, {
        type: 'email.verified',
        userId: token.userId,
        actorId: token.userId,
        client,
      });
    });
  }
}
