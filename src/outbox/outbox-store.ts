import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { OutboxChannel } from './outbox-message.entity';
import { OutboxSql } from './outbox-sql';

/** A message this instance has claimed (status `sending`, leased to it). */
export interface ClaimedMessage {
  id: number;
  channel: OutboxChannel;
  kind: string;
  recipient: string;
  payload: string | null;
  attempts: number;
  firstAttemptAt: Date;
}

export interface ClaimRequest {
  channels: OutboxChannel[];
  claimedBy: string;
  now: Date;
  lockedUntil: Date;
  limit: number;
}

/**
 * The sender's statements on `outbox_messages`. Each claim is one UPDATE, atomic on both
 * databases: PostgreSQL locks the chosen rows with FOR UPDATE SKIP LOCKED (another instance
 * skips them rather than waiting or taking them too), and SQLite runs one writer at a time.
 * A message is due when pending and past its `nextAttemptAt`, or when a claim's lease ran out
 * (its instance died); it is held back while an older message with its ordering key is still
 * pending or sending.
 */
@Injectable()
export class OutboxStore {
  private readonly sql: OutboxSql;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.sql = new OutboxSql(dataSource);
  }

  async claimDue(request: ClaimRequest): Promise<ClaimedMessage[]> {
    if (request.channels.length === 0) {
      return [];
    }
    const lock = this.sql.onPostgres ? 'FOR UPDATE SKIP LOCKED' : '';
    const { rows } = await this.sql.run(
      `UPDATE outbox_messages
          SET status = 'sending', "lockedUntil" = ?, "claimedBy" = ?, attempts = attempts + 1,
              "firstAttemptAt" = COALESCE("firstAttemptAt", ?)
        WHERE id IN (
          SELECT m.id FROM outbox_messages m
           WHERE m.channel IN ${OutboxSql.list(request.channels.length)}
             AND ((m.status = 'pending' AND m."nextAttemptAt" <= ?)
               OR (m.status = 'sending' AND m."lockedUntil" <= ?))
             AND NOT EXISTS (
               SELECT 1 FROM outbox_messages older
                WHERE older."orderingKey" = m."orderingKey" AND older.id < m.id
                  AND older.status IN ('pending', 'sending'))
           ORDER BY m.id
           LIMIT ? ${lock})
        RETURNING id, channel, kind, recipient, payload, attempts, "firstAttemptAt"`,
      [
        request.lockedUntil,
        request.claimedBy,
        request.now,
        ...request.channels,
        request.now,
        request.now,
        request.limit,
      ],
    );
    return rows
      .map((row) => ({
        id: Number(row.id),
        channel: row.channel as OutboxChannel,
        kind: row.kind as string,
        recipient: row.recipient as string,
        payload: typeof row.payload === 'string' ? row.payload : null,
        attempts: Number(row.attempts),
        firstAttemptAt: this.sql.readTimestamp(row.firstAttemptAt) ?? request.now,
      }))
      .sort((a, b) => a.id - b.id);
  }

  /** Delivered: the body goes (it may hold a token); recipient, kind, times and attempts stay. */
  async markSent(id: number, claimedBy: string, sentAt: Date): Promise<boolean> {
    const { affected } = await this.sql.run(
      `UPDATE outbox_messages
          SET status = 'sent', "sentAt" = ?, payload = NULL, "lockedUntil" = NULL, "lastError" = NULL
        WHERE id = ? AND "claimedBy" = ? AND status = 'sending'`,
      [sentAt, id, claimedBy],
    );
    return affected === 1;
  }

  async scheduleRetry(
    id: number,
    claimedBy: string,
    nextAttemptAt: Date,
    lastError: string,
  ): Promise<boolean> {
    const { affected } = await this.sql.run(
      `UPDATE outbox_messages
          SET status = 'pending', "nextAttemptAt" = ?, "lockedUntil" = NULL, "claimedBy" = NULL,
              "lastError" = ?
        WHERE id = ? AND "claimedBy" = ? AND status = 'sending'`,
      [nextAttemptAt, lastError, id, claimedBy],
    );
    return affected === 1;
  }

  /** Given up: the body goes too, so no token outlives its usefulness in the table. */
  async markDead(id: number, claimedBy: string, lastError: string): Promise<boolean> {
    const { affected } = await this.sql.run(
      `UPDATE outbox_messages
          SET status = 'dead', payload = NULL, "lockedUntil" = NULL, "lastError" = ?
        WHERE id = ? AND "claimedBy" = ? AND status = 'sending'`,
      [lastError, id, claimedBy],
    );
    return affected === 1;
  }

  /** Hands claims back untried (shutdown): another instance may take them at once. */
  async release(ids: number[], claimedBy: string): Promise<void> {
    if (ids.length === 0) {
      return;
    }
    await this.sql.run(
      `UPDATE outbox_messages SET status = 'pending', "lockedUntil" = NULL, "claimedBy" = NULL
        WHERE id IN ${OutboxSql.list(ids.length)} AND "claimedBy" = ? AND status = 'sending'`,
      [...ids, claimedBy],
    );
  }

  /** Undelivered messages (pending or sending) per channel, across all instances. */
  async countUndelivered(): Promise<Map<OutboxChannel, number>> {
    const { rows } = await this.sql.run(
      `SELECT channel, COUNT(*) AS count FROM outbox_messages
        WHERE status IN ('pending', 'sending') GROUP BY channel`,
      [],
    );
    return new Map(rows.map((row) => [row.channel as OutboxChannel, Number(row.count)]));
  }
}
