import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { In, IsNull, LessThan, MoreThan, Not, type EntityManager, Repository } from 'typeorm';
import { AccountToken, AccountTokenPurpose } from './account-token.entity';
import { generateMailToken, hashMailToken } from './mail-token';

export interface NewAccountToken {
  purpose: AccountTokenPurpose;
  userId: string;
  ttlSeconds: number;
  newEmail?: string;
}

/** Longest token a client may present; anything longer is not one of ours and is not hashed. */
export const MAX_TOKEN_LENGTH = 512;
/** How often each instance deletes long-dead tokens; any instance may, the DELETE is idempotent. */
const PURGE_INTERVAL_MS = 60 * 60_000;
/** Spent or expired tokens stay a day, a short trail for whoever investigates, then go. */
const PURGE_GRACE_MS = 24 * 60 * 60_000;

/** The one owner of `account_tokens`: single-use tokens that mails carry. */
@Injectable()
export class AccountTokensService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AccountTokensService.name);
  private purgeTimer?: NodeJS.Timeout;

  constructor(@InjectRepository(AccountToken) private readonly tokens: Repository<AccountToken>) {}

  onModuleInit(): void {
    // A timer rather than a purge inside issue(): that runs in the caller's transaction, which a
    // failed purge would abort. unref(): the timer alone never keeps the process alive.
    this.purgeTimer = setInterval(() => void this.purgeQuietly(), PURGE_INTERVAL_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.purgeTimer);
  }

  /**
   * Stores the hash of a fresh token in the caller's transaction, so the token exists exactly
   * when the mail that carries it was queued. Returns the token itself, for that mail only.
   */
  async issue(manager: EntityManager, request: NewAccountToken): Promise<string> {
    const now = new Date();
    const token = generateMailToken();
    await manager.insert(AccountToken, {
      id: randomUUID(),
      purpose: request.purpose,
      userId: request.userId,
      tokenHash: hashMailToken(token),
      newEmail: request.newEmail ?? null,
      expiresAt: new Date(now.getTime() + request.ttlSeconds * 1000),
      usedAt: null,
      createdAt: now,
    });
    return token;
  }

  /**
   * The unused, unexpired token of this purpose, without spending it, so the caller can check
   * what it needs (the new password against its owner) before {@link consume}.
   */
  findLive(purpose: AccountTokenPurpose, token: string): Promise<AccountToken | null> {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
      return Promise.resolve(null);
    }
    return this.tokens.findOneBy({
      tokenHash: hashMailToken(token),
      purpose,
      usedAt: IsNull(),
      expiresAt: MoreThan(new Date()),
    });
  }

  /**
   * Spends the token: one conditional UPDATE, so of simultaneous requests with one token exactly
   * one sees `true`; an expired or already spent token gives `false`.
   */
  async consume(manager: EntityManager, token: AccountToken): Promise<boolean> {
    const now = new Date();
    const result = await manager.update(
      AccountToken,
      { id: token.id, usedAt: IsNull(), expiresAt: MoreThan(now) },
      { usedAt: now },
    );
    return result.affected === 1;
  }

  /** Kills the user's other live tokens of these purposes (a reset ends the other reset links). */
  async revokeAll(
    manager: EntityManager,
    userId: string,
    purposes: AccountTokenPurpose[],
    exceptId?: string,
  ): Promise<void> {
    await manager.update(
      AccountToken,
      {
        userId,
        purpose: In(purposes),
        usedAt: IsNull(),
        ...(exceptId === undefined ? {} : { id: Not(exceptId) }),
      },
      { usedAt: new Date() },
    );
  }

  /** Deletes tokens that expired more than {@link PURGE_GRACE_MS} ago; returns how many. */
  async purgeDead(now = new Date()): Promise<number> {
    const result = await this.tokens.delete({
      expiresAt: LessThan(new Date(now.getTime() - PURGE_GRACE_MS)),
    });
    return result.affected ?? 0;
  }

  private async purgeQuietly(): Promise<void> {
    try {
      await this.purgeDead();
    } catch (error) {
      this.logger.warn(`Purging dead account tokens failed: ${String(error)}`);
    }
  }
}
