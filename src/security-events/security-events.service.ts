import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, LessThan, type EntityManager, type Repository } from 'typeorm';
import type { ClientInfo } from '../common/client-info';
import { securityEventId, securityEventTime } from './security-event-id';
import type { SecurityEventType } from './security-event-type';
import {
  SECURITY_EVENT_IP_MAX_LENGTH,
  SECURITY_EVENT_REQUEST_ID_MAX_LENGTH,
  SECURITY_EVENT_USER_AGENT_MAX_LENGTH,
  SecurityEvent,
  type SecurityEventDetails,
} from './security-event.entity';
import { inTransaction } from '../database/in-transaction';

/** What a flow says about the change it just made. */
export interface NewSecurityEvent {
  type: SecurityEventType;
  /** The account concerned (null: none is known, such as a login as an unknown user). */
  userId: string | null;
  /** Who acted: the user, an admin; null or absent when nobody is signed in. */
  actorId?: string | null;
  sessionId?: string | null;
  /** The request that caused it: address, user agent, request id. */
  client?: ClientInfo | null;
  /** Small, and never a password, token, code or hash. */
  details?: SecurityEventDetails;
}

/**
 * Runs inside the transaction of every event recorded, after its row is written: a failure
 * rolls the change back with it. The webhooks enqueue their delivery this way.
 */
export interface SecurityEventSubscriber {
  afterRecord(manager: EntityManager, event: SecurityEvent): Promise<void>;
}

/** Which events a page holds: one user's, or all filtered (admin); newest first. */
export interface SecurityEventQuery {
  limit: number;
  /** An event id: only events older than it. */
  before?: string;
  userId?: string;
  type?: SecurityEventType;
  from?: Date;
  to?: Date;
}

export interface SecurityEventPage {
  items: SecurityEvent[];
  /** The `before` of the next page, or null on the last. */
  next: string | null;
}

/**
 * The audit log: flows record their events in their own transaction; users and admins read
 * pages by the keyset (at, id), newest first.
 */
@Injectable()
export class SecurityEventsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(SecurityEventsService.name);
  private readonly inBackground = new Set<Promise<void>>();
  private readonly subscribers: SecurityEventSubscriber[] = [];

  constructor(
    @InjectRepository(SecurityEvent) private readonly events: Repository<SecurityEvent>,
    private readonly dataSource: DataSource,
  ) {}

  /** Called by a module at init (WebhooksModule); the audit log itself knows no subscriber. */
  subscribe(subscriber: SecurityEventSubscriber): void {
    this.subscribers.push(subscriber);
  }

  /** Writes the event with `manager`, so that it commits or rolls back with the change. */
  async record(manager: EntityManager, event: NewSecurityEvent): Promise<SecurityEvent> {
    const row = rowOf(event, new Date());
    await this.write(manager, row);
    return row;
  }

  /**
   * Records an event that no change goes with (a failed login) without making the caller wait:
   * the 401 leaves at once and an attacker's guesses get no slower or faster by it. Its time is
   * taken now, when it happened. A write that fails is logged with the event's type and
   * account, never dropped silently; shutdown waits for the writes still running.
   */
  recordInBackground(event: NewSecurityEvent): void {
    const row = rowOf(event, new Date());
    const write = inTransaction(this.dataSource, (manager) => this.write(manager, row))
      .catch((error: unknown) => {
        this.logger.error(
          `Could not record the security event ${row.type} of user ${row.userId ?? '(none)'}: ${String(error)}`,
        );
      })
      .finally(() => this.inBackground.delete(write));
    this.inBackground.add(write);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.inBackground]);
  }

  async page(query: SecurityEventQuery): Promise<SecurityEventPage> {
    const builder = this.events
      .createQueryBuilder('event')
      .orderBy('event.at', 'DESC')
      .addOrderBy('event.id', 'DESC')
      // One more than asked: whether it exists says whether there is a next page.
      .limit(query.limit + 1);
    if (query.userId !== undefined) {
      builder.andWhere('event.userId = :userId', { userId: query.userId.toLowerCase() });
    }
    if (query.type !== undefined) {
      builder.andWhere('event.type = :type', { type: query.type });
    }
    if (query.from !== undefined) {
      builder.andWhere('event.at >= :from', { from: query.from });
    }
    if (query.to !== undefined) {
      builder.andWhere('event.at <= :to', { to: query.to });
    }
    if (query.before !== undefined) {
      const beforeAt = securityEventTime(query.before);
      if (beforeAt === undefined) {
        throw new Error('`before` must be validated as an event id by the caller');
      }
      // A row-value comparison (both databases have them) keeps to the (…, at, id) indexes.
      builder.andWhere('("event"."at", "event"."id") < (:beforeAt, :beforeId)', {
        beforeAt,
        beforeId: query.before.toLowerCase(),
      });
    }
    const rows = await builder.getMany();
    const items = rows.slice(0, query.limit);
    return {
      items,
      next: rows.length > query.limit ? items[items.length - 1].id : null,
    };
  }

  private async write(manager: EntityManager, row: SecurityEvent): Promise<void> {
    await manager.insert(SecurityEvent, row);
    for (const subscriber of this.subscribers) {
      await subscriber.afterRecord(manager, row);
    }
  }

  /** Deletes the events recorded before `cutoff`; returns how many went. */
  async purgeOlderThan(cutoff: Date): Promise<number> {
    const result = await this.events.delete({ at: LessThan(cutoff) });
    return result.affected ?? 0;
  }
}

function rowOf(event: NewSecurityEvent, at: Date): SecurityEvent {
  return {
    id: securityEventId(at),
    type: event.type,
    at,
    userId: event.userId,
    actorId: event.actorId ?? null,
    sessionId: event.sessionId ?? null,
    ip: event.client?.ip.slice(0, SECURITY_EVENT_IP_MAX_LENGTH) ?? null,
    userAgent: event.client?.userAgent?.slice(0, SECURITY_EVENT_USER_AGENT_MAX_LENGTH) ?? null,
    requestId: event.client?.requestId?.slice(0, SECURITY_EVENT_REQUEST_ID_MAX_LENGTH) ?? null,
    details: event.details ?? {},
  };
}
