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
  ) {
    this.onPostgres = users.manager.connection.options.type === 'postgres';
    this.activeUserSql = activeUserQuery(this.users, this.onPostgres);
  }

  private readonly onPostgres: boolean;
  private readonly activeUserSql: string;

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
   *
   * Hand-written SQL on purpose: this runs on every authenticated request, and TypeORM's query
   * builder spent more time building and mapping the query than the database spent answering it
   * (bench/README.md, step 3). The row is still hydrated by TypeORM's driver, column by column,
   * so types (booleans, simple-array roles, timestamps) come out exactly as the repository's.
   */
  async loadActiveUser(userId: string, sessionId: string): Promise<User | null> {
    const rows = await this.users.manager.query<Record<string, unknown>[]>(this.activeUserSql, [
      sessionId,
      userId,
    ]);
    if (rows.length === 0) {
      return null;
    }
    const row = rows[0];
    const driver = this.users.manager.connection.driver;
    const user = new User();
    for (const column of this.users.metadata.columns) {
      column.setEntityValue(user, driver.prepareHydratedValue(row[column.databaseName], column));
    }
    return user;
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

/**
 * SELECT every user column FROM the session joined to its user, by the session's primary key.
 * Each database compares expiry with its own clock: SQLite's strftime gives the UTC text form
 * TypeORM writes datetime columns in ('YYYY-MM-DD HH:MM:SS.SSS'), which sorts as time does.
 */
function activeUserQuery(users: Repository<User>, onPostgres: boolean): string {
  const columns = users.metadata.columns.map((column) => `u."${column.databaseName}"`).join(', ');
  return onPostgres
    ? `SELECT ${columns} FROM "sessions" s INNER JOIN "users" u ON u."id" = s."userId"
       WHERE s."id" = $1 AND s."userId" = $2 AND u."isActive" = true
         AND s."revokedAt" IS NULL AND s."expiresAt" > now()`
    : `SELECT ${columns} FROM "sessions" s INNER JOIN "users" u ON u."id" = s."userId"
       WHERE s."id" = ? AND s."userId" = ? AND u."isActive" = 1
         AND s."revokedAt" IS NULL AND s."expiresAt" > strftime('%Y-%m-%d %H:%M:%f', 'now')`;
}
