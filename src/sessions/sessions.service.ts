import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { isUniqueViolation } from '../database/database-errors';
import { User } from '../users/user.entity';
import { generateRefreshToken, hashRefreshToken } from './refresh-token';
import { Session } from './session.entity';
import { SpentRefreshToken } from './spent-refresh-token.entity';

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

export interface IssuedSession {
  session: Session;
  refreshToken: string;
}

export type RotationResult =
  | { outcome: 'rotated'; session: Session; refreshToken: string }
  | { outcome: 'reused' | 'invalid' };

@Injectable()
export class SessionsService {
  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @InjectRepository(SpentRefreshToken)
    private readonly spentTokens: Repository<SpentRefreshToken>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly config: AppConfig,
  ) {}

  async open(userId: string, client: ClientInfo): Promise<IssuedSession> {
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
      ip: client.ip?.slice(0, 64) ?? null,
    });
    await this.sessions.insert(session);
    return { session, refreshToken };
  }

  /**
   * The per-request check: the user of a live session, active, in one query. Revocation,
   * disabling and deletion therefore refuse a token from the very next request.
   */
  loadActiveUser(userId: string, sessionId: string): Promise<User | null> {
    return this.users
      .createQueryBuilder('user')
      .innerJoin(Session, 'session', 'session.userId = user.id')
      .where('session.id = :sessionId', { sessionId })
      .andWhere('user.id = :userId', { userId })
      .andWhere('user.isActive = :active', { active: true })
      .andWhere('session.revokedAt IS NULL')
      .andWhere('session.expiresAt > :now', { now: new Date() })
      .getOne();
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
      refreshToken: nextToken,
    };
  }

  /** Ends a session: its access and refresh tokens are refused from the next request on. */
  async revoke(sessionId: string): Promise<void> {
    await this.sessions.update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  private refreshExpiry(from: Date): Date {
    return new Date(from.getTime() + this.config.jwt.refreshTtlSeconds * 1000);
  }
}
