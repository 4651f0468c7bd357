import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, IsNull, LessThan, MoreThan, Not, Repository } from 'typeorm';
import type { ClientInfo } from '../common/client-info';
import { AppConfig } from '../config/app-config';
import { isUniqueViolation } from '../database/database-errors';
import { SecurityEventsService } from '../security-events/security-events.service';
import type { User } from '../users/user.entity';
import { ActiveUserLookup } from './active-user.lookup';
import { generateRefreshToken, hashRefreshToken } from './refresh-token';
import { insertSessionIfCurrent } from './session-insert';
import { Session } from './session.entity';
import { SpentRefreshToken } from './spent-refresh-token.entity';
import { inTransaction } from '../database/in-transaction';

export interface IssuedSession {
  session: Session;
  refreshToken: string;
}

/**
 * What a sign-in verified: the user, and the password hash the password matched. A session is
 * opened only while that hash is still the user's and the user is active (see {@link
 * SessionsService.open}).
 */
export interface VerifiedCredential {
  userId: string;
  passwordHash: string;
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
    private readonly events: SecurityEventsService,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * Opens a session for a verified sign-in, or returns null when the account changed since it was
   * read: its password was changed, it was disabled or deleted. The check and the insert are one
   * statement (see {@link insertSessionIfCurrent}), so a change that ends the user's sessions
   * either comes first, and nothing is opened, or comes after, and ends this session too.
   * `amr`: how the user signed in (RFC 8176), kept for every access token of the session.
   * `manager`: the caller's transaction (the login records its event in it).
   */
  async open(
    credential: VerifiedCredential,
    client: ClientInfo,
    amr: readonly string[] = ['pwd'],
    manager?: EntityManager,
  ): Promise<IssuedSession | null> {
    const now = new Date();
    const refreshToken = generateRefreshToken();
    const session = this.sessions.create({
      id: randomUUID(),
      userId: credential.userId,
      refreshTokenHash: hashRefreshToken(refreshToken),
      createdAt: now,
      lastUsedAt: now,
      expiresAt: this.refreshExpiry(now, now),
      revokedAt: null,
      userAgent: client.userAgent?.slice(0, 512) ?? null,
      ip: client.ip.slice(0, 64),
      amr: [...amr],
    });
    const inserted = await insertSessionIfCurrent(
      manager ?? this.sessions.manager,
      session,
      credential.passwordHash,
    );
    if (!inserted) {
      return null;
    }
    await this.purgeIfDue(now);
    return { session, refreshToken };
  }

  /**
   * Spends a refresh token and issues its successor in the same session (RFC 9700 §4.14).
   * Inserting the spent hash is the atomic gate: of simultaneous refreshes with one token only
   * one insert succeeds; the others, like any later replay, are reuse and end the session.
   * The new hash and its `token.refreshed` event, or the end of the session and its
   * `refresh.reused` event, commit together.
   */
  async rotate(refreshToken: string, client: ClientInfo): Promise<RotationResult> {
    const hash = hashRefreshToken(refreshToken);
    const now = new Date();
    const session = await this.sessions.findOneBy({ refreshTokenHash: hash });
    if (!session) {
      const spent = await this.spentTokens.findOneBy({ tokenHash: hash });
      if (spent) {
        await this.endReusedSession(spent.sessionId, client);
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
        await this.endReusedSession(session.id, client);
        return { outcome: 'reused' };
      }
      throw error;
    }
    const nextToken = generateRefreshToken();
    const expiresAt = this.refreshExpiry(now, session.createdAt);
    const swapped = await inTransaction(this.dataSource, async (manager) => {
      const { affected } = await manager.update(
        Session,
        { id: session.id, refreshTokenHash: hash, revokedAt: IsNull(), expiresAt: MoreThan(now) },
        { refreshTokenHash: hashRefreshToken(nextToken), lastUsedAt: now, expiresAt },
      );
      if (affected !== 1) {
        return false;
      }
      await this.events.record(manager, {
        type: 'token.refreshed',
        userId: session.userId,
        actorId: session.userId,
        sessionId: session.id,
        client,
      });
      return true;
    });
    if (!swapped) {
      return { outcome: 'invalid' };
    }
    return {
      outcome: 'rotated',
      session: { ...session, lastUsedAt: now, expiresAt },
      user,
      refreshToken: nextToken,
    };
  }

  /**
   * A spent token came back: whoever holds the session's tokens may be a thief, so the session
   * ends. Recorded on every presentation, the later ones of an already-ended session too.
   */
  private async endReusedSession(sessionId: string, client: ClientInfo): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      const session = await manager.findOne(Session, {
        select: { id: true, userId: true },
        where: { id: sessionId },
      });
      if (!session) {
        return;
      }
      await this.revoke(session.id, manager);
      await this.events.record(manager, {
        type: 'refresh.reused',
        userId: session.userId,
        sessionId: session.id,
        client,
      });
    });
  }

  /**
   * Ends a session: its access and refresh tokens are refused from the next request on.
   * `manager`: the caller's transaction (logout records its event in it).
   */
  async revoke(sessionId: string, manager?: EntityManager): Promise<void> {
    await (manager ?? this.sessions.manager).update(
      Session,
      { id: sessionId, revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
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
   * (unknown, another user's, or already over). `manager`: the caller's transaction.
   */
  async revokeOwned(userId: string, sessionId: string, manager?: EntityManager): Promise<boolean> {
    const now = new Date();
    const { affected } = await (manager ?? this.sessions.manager).update(
      Session,
      { id: sessionId, userId, revokedAt: IsNull(), expiresAt: MoreThan(now) },
      { revokedAt: now },
    );
    return affected === 1;
  }

  /**
   * `DELETE /users/me/sessions/:id`: ends one of the user's live sessions with its
   * `session.revoked` event. False when there is none (the caller's 404).
   */
  async endOwnSession(
    userId: string,
    sessionId: string,
    by: { sessionId: string; client: ClientInfo },
  ): Promise<boolean> {
    return inTransaction(this.dataSource, async (manager) => {
      if (!(await this.revokeOwned(userId, sessionId, manager))) {
        return false;
      }
      await this.events.record(manager, {
        type: 'session.revoked',
        userId,
        actorId: userId,
        sessionId,
        client: by.client,
        details: { bySession: by.sessionId },
      });
      return true;
    });
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

  /**
   * Ends every session of the user but one (the password change keeps the caller's); `manager`
   * as for {@link revokeAllForUser}.
   */
  async revokeAllExcept(
    userId: string,
    keepSessionId: string,
    manager?: EntityManager,
  ): Promise<void> {
    await (manager ?? this.sessions.manager).update(
      Session,
      { userId, id: Not(keepSessionId), revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
  }

  /**
   * Ends the session a refresh token belongs to (its current token or a spent one), when that
   * session is the user's. Anything else is ignored, as RFC 7009 §2.2 does for unknown tokens:
   * the caller learns nothing about tokens that are not theirs and cannot end a stranger's session.
   * Returns the id of the session it ended, if any; `manager`: the caller's transaction.
   */
  async revokeOwnedByRefreshToken(
    userId: string,
    refreshToken: string,
    manager?: EntityManager,
  ): Promise<string | null> {
    const hash = hashRefreshToken(refreshToken);
    const current = await this.sessions.findOne({
      select: { id: true },
      where: { refreshTokenHash: hash, userId },
    });
    const sessionId =
      current?.id ?? (await this.spentTokens.findOneBy({ tokenHash: hash }))?.sessionId;
    if (!sessionId) {
      return null;
    }
    const { affected } = await (manager ?? this.sessions.manager).update(
      Session,
      { id: sessionId, userId, revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
    return affected === 1 ? sessionId : null;
  }

  /** Sessions neither revoked nor expired, of all users (the metrics gauge). */
  countLive(): Promise<number> {
    return this.sessions.countBy({ revokedAt: IsNull(), expiresAt: MoreThan(new Date()) });
  }

  /**
   * Ends the session a refresh token belongs to, by its current token or a spent one (RFC 7009
   * revocation: the token's holder may end its session, whoever they are). Returns the session
   * it ended, or null when the token is unknown or its session already over; `manager`: the
   * caller's transaction (the revocation records its event in it).
   */
  async revokeByRefreshToken(
    refreshToken: string,
    manager?: EntityManager,
  ): Promise<{ sessionId: string; userId: string } | null> {
    const hash = hashRefreshToken(refreshToken);
    const current = await this.sessions.findOne({
      select: { id: true },
      where: { refreshTokenHash: hash },
    });
    const sessionId =
      current?.id ?? (await this.spentTokens.findOneBy({ tokenHash: hash }))?.sessionId;
    if (sessionId === undefined) {
      return null;
    }
    const runner = manager ?? this.sessions.manager;
    const session = await runner.findOne(Session, {
      select: { id: true, userId: true, revokedAt: true },
      where: { id: sessionId },
    });
    if (!session || session.revokedAt !== null) {
      return null;
    }
    await this.revoke(sessionId, runner);
    return { sessionId, userId: session.userId };
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

  /**
   * A refresh token lives JWT_REFRESH_TTL from its issue, but never past the session's sign-in
   * plus JWT_SESSION_MAX_AGE: a stolen session that keeps refreshing still ends, and with it the
   * spent hashes it piled up (they are purged with the session).
   */
  private refreshExpiry(issuedAt: Date, signedInAt: Date): Date {
    const { refreshTtlSeconds, sessionMaxAgeSeconds } = this.config.jwt;
    return new Date(
      Math.min(
        issuedAt.getTime() + refreshTtlSeconds * 1000,
        signedInAt.getTime() + sessionMaxAgeSeconds * 1000,
      ),
    );
  }
}
