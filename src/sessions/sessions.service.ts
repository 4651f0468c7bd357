import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { EntityManager, IsNull, LessThan, MoreThan, Not, Repository } from 'typeorm';
import type { ClientInfo } from '../common/client-info';
import { AppConfig } from '../config/app-config';
import { isUniqueViolation } from '../database/database-errors';
import type { User } from '../users/user.entity';
import { ActiveUserLookup } from './active-user.lookup';
import { generateRefreshToken, hashRefreshToken } from './refresh-token';
import { Session } from './session.entity';
import { SpentRefreshToken } from './spent-refresh-token.entity';

export interface IssuedSession {
  session: Session;
  refreshToken: string;
}

export type RotationResult =
  | { outcome: 'rotated'; session: Session; user: User; refreshToken: string }
  | { outcome: 'reused' | 'invalid' };

/** How often one instance looks for dead sessions to delete (on login, not on a timer). */
export const PURGE_INTERVAL_MS = 60_000;
/**
 * How long a session stays in the table after it expired or was revoked. Past that its refresh
 * tokens get 401 either way; the hour only leaves a short trail for whoever investigates.
 */
export const PURGE_GRACE_MS = 60 * 60_000;

@Injectable()
export class SessionsService {
  private readonly logger = new Logger(SessionsService.name);
  private nextPurgeAt = 0;

  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @InjectRepository(SpentRefreshToken)
    private readonly spentTokens: Repository<SpentRefreshToken>,
    private readonly activeUsers: ActiveUserLookup,
    private readonly config: AppConfig,
  ) {}

  /** `amr`: how the user signed in (RFC 8176), kept for every access token of the session. */
  async open(
    userId: string,
    client: ClientInfo,
    amr: readonly string[] = ['pwd'],
  ): Promise<IssuedSession> {
    const now = new Date();
    const refreshToken = generateRefreshToken();
    const session = this.sessions.create({
      id: randomUUID(),
      userId,
      refreshTokenHash: hashRefreshToken(refreshToken),
      createdAt: now,
      lastUsedAt: now,
      expiresAt: this.refreshExpiry(now),
      revokedAt: null,
      userAgent: client.userAgent?.slice(0, 512) ?? null,
      ip: client.ip.slice(0, 64),
      amr: [...amr],
    });
    await this.sessions.insert(session);
    await this.purgeIfDue(now);
    return { session, refreshToken };
  }

  /**
   * Spends a refresh token and issues its successor in the same session (RFC 9700 §4.14).
   * Inserting the spent hash is the atomic gate: of simultaneous refreshes with one token only
   * one insert succeeds; the others, like any later replay, are reuse and end the session.
   */
  async rotate(refreshToken: string): Promise<RotationResult> {
    const hash = hashRefreshToken(refreshToken);
    const now = new Date();
    const session = await this.sessions.findOneBy({ refreshTokenHash: hash });
    if (!session) {
      const spent = await this.spentTokens.findOneBy({ tokenHash: hash });
      if (spent) {
        await this.revoke(spent.sessionId);
        return { outcome: 'reused' };
      }
      return { outcome: 'invalid' };
    }
    if (session.revokedAt !== null || session.expiresAt <= now) {
      return { outcome: 'invalid' };
    }
    // The per-request check, made before the token is spent: a disabled user's token stays
    // usable should an admin enable the account again; a deleted user's sessions are gone.
    const user = await this.activeUsers.load(session.userId, session.id);
    if (!user) {
      return { outcome: 'invalid' };
    }
    try {
      await this.spentTokens.insert({ tokenHash: hash, sessionId: session.id });
    } catch (error) {
      if (isUniqueViolation(error)) {
        await this.revoke(session.id);
        return { outcome: 'reused' };
      }
      throw error;
    }
    const nextToken = generateRefreshToken();
    const expiresAt = this.refreshExpiry(now);
    const swapped = await this.sessions.update(
      { id: session.id, refreshTokenHash: hash, revokedAt: IsNull(), expiresAt: MoreThan(now) },
      { refreshTokenHash: hashRefreshToken(nextToken), lastUsedAt: now, expiresAt },
    );
    if (swapped.affected !== 1) {
      return { outcome: 'invalid' };
    }
    return {
      outcome: 'rotated',
      session: { ...session, lastUsedAt: now, expiresAt },
      user,
      refreshToken: nextToken,
    };
  }

  /** Ends a session: its access and refresh tokens are refused from the next request on. */
  async revoke(sessionId: string): Promise<void> {
    await this.sessions.update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** The user's sessions that can still be used, most recently used first. */
  listLive(userId: string): Promise<Session[]> {
    return this.sessions.find({
      where: { userId, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      order: { lastUsedAt: 'DESC', id: 'ASC' },
    });
  }

  /**
   * Ends one of the user's live sessions. False when there is none with that id for this user
   * (unknown, another user's, or already over), which the caller reports as 404.
   */
  async revokeOwned(userId: string, sessionId: string): Promise<boolean> {
    const now = new Date();
    const result = await this.sessions.update(
      { id: sessionId, userId, revokedAt: IsNull(), expiresAt: MoreThan(now) },
      { revokedAt: now },
    );
    return result.affected === 1;
  }

  /**
   * Ends all of the user's sessions. `manager` runs it inside the caller's transaction, so that
   * it commits or rolls back with the caller's own writes (the admin disabling the user).
   */
  async revokeAllForUser(userId: string, manager?: EntityManager): Promise<void> {
    await (manager ?? this.sessions.manager).update(
      Session,
      { userId, revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
  }

  /** Ends every session of the user but one (the password change keeps the caller's). */
  async revokeAllExcept(userId: string, keepSessionId: string): Promise<void> {
    await this.sessions.update(
      { userId, id: Not(keepSessionId), revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
  }

  /**
   * Ends the session a refresh token belongs to (its current token or a spent one), when that
   * session is the user's. Anything else is ignored, as RFC 7009 §2.2 does for unknown tokens:
   * the caller learns nothing about tokens that are not theirs and cannot end a stranger's session.
   */
  async revokeOwnedByRefreshToken(userId: string, refreshToken: string): Promise<void> {
    const hash = hashRefreshToken(refreshToken);
    const current = await this.sessions.findOne({
      select: { id: true },
      where: { refreshTokenHash: hash, userId },
    });
    const sessionId =
      current?.id ?? (await this.spentTokens.findOneBy({ tokenHash: hash }))?.sessionId;
    if (sessionId) {
      await this.sessions.update(
        { id: sessionId, userId, revokedAt: IsNull() },
        { revokedAt: new Date() },
      );
    }
  }

  /** Sessions neither revoked nor expired, of all users (the metrics gauge). */
  countLive(): Promise<number> {
    return this.sessions.countBy({ revokedAt: IsNull(), expiresAt: MoreThan(new Date()) });
  }

  /**
   * Deletes sessions that expired or were revoked more than {@link PURGE_GRACE_MS} ago; their
   * spent refresh tokens go with them (ON DELETE CASCADE). Returns how many sessions went.
   */
  async purgeDead(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - PURGE_GRACE_MS);
    const result = await this.sessions.delete([
      { expiresAt: LessThan(cutoff) },
      { revokedAt: LessThan(cutoff) },
    ]);
    return result.affected ?? 0;
  }

  /**
   * Purges lazily, at most once per {@link PURGE_INTERVAL_MS} per instance, so the table stays
   * bounded without a scheduler. A failure is logged and never fails the login that ran it.
   */
  private async purgeIfDue(now: Date): Promise<void> {
    if (now.getTime() < this.nextPurgeAt) {
      return;
    }
    this.nextPurgeAt = now.getTime() + PURGE_INTERVAL_MS;
    try {
      await this.purgeDead(now);
    } catch (error) {
      this.logger.warn(`Purging dead sessions failed: ${String(error)}`);
    }
  }

  private refreshExpiry(from: Date): Date {
    return new Date(from.getTime() + this.config.jwt.refreshTtlSeconds * 1000);
  }
}
