import { Column, Entity, Index } from 'typeorm';
import { TimestampColumn, UuidColumn, UuidPrimaryColumn } from '../database/column-types';
import type { SecurityEventType } from './security-event-type';

/** A small JSON object: what the event's type alone does not say. Never a secret. */
export type SecurityEventDetails = Record<string, string | number | boolean | string[] | null>;

export const SECURITY_EVENT_USER_AGENT_MAX_LENGTH = 512;
export const SECURITY_EVENT_IP_MAX_LENGTH = 64;
export const SECURITY_EVENT_REQUEST_ID_MAX_LENGTH = 128;

/**
 * One security event (`security_events`, owned by SecurityEventsModule). `userId` and `actorId`
 * are plain columns, not foreign keys: the audit trail outlives the account it is about. Pages
 * are read by (at, id), newest first, for one user or for all.
 */
@Index('IDX_security_events_user_at', ['userId', 'at', 'id'])
@Index('IDX_security_events_at', ['at', 'id'])
@Index('IDX_security_events_type_at', ['type', 'at', 'id'])
@Entity({ name: 'security_events' })
export class SecurityEvent {
  /** A UUIDv7 carrying `at` (see security-event-id.ts). */
  @UuidPrimaryColumn()
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  type!: SecurityEventType;

  @TimestampColumn()
  at!: Date;

  /** The account concerned; null when none is known (a login as an unknown user). */
  @UuidColumn({ nullable: true })
  userId!: string | null;

  /** Who acted: the user, an admin, or null (nobody signed in). */
  @UuidColumn({ nullable: true })
  actorId!: string | null;

  @UuidColumn({ nullable: true })
  sessionId!: string | null;

  @Column({ type: 'varchar', length: SECURITY_EVENT_IP_MAX_LENGTH, nullable: true })
  ip!: string | null;

  @Column({ type: 'varchar', length: SECURITY_EVENT_USER_AGENT_MAX_LENGTH, nullable: true })
  userAgent!: string | null;

  @Column({ type: 'varchar', length: SECURITY_EVENT_REQUEST_ID_MAX_LENGTH, nullable: true })
  requestId!: string | null;

  @Column({ type: 'simple-json' })
  details!: SecurityEventDetails;
}
