import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TimestampColumn } from '../database/column-types';

export const OUTBOX_CHANNELS = ['mail', 'webhook'] as const;
export type OutboxChannel = (typeof OUTBOX_CHANNELS)[number];

/** pending: waiting (or retrying); sending: claimed by one instance until `lockedUntil`. */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'dead';

export const OUTBOX_RECIPIENT_MAX_LENGTH = 2048;
export const OUTBOX_KIND_MAX_LENGTH = 64;
export const OUTBOX_ORDERING_KEY_MAX_LENGTH = 128;
export const OUTBOX_LAST_ERROR_MAX_LENGTH = 300;

/**
 * One message to deliver after its transaction commits. The integer id is the delivery order:
 * among messages sharing an `orderingKey`, a younger one waits until every older one is sent or
 * dead. Only OutboxModule reads or writes this table.
 */
@Index('IDX_outbox_messages_due', ['status', 'nextAttemptAt'])
@Index('IDX_outbox_messages_ordering', ['orderingKey', 'id'])
@Entity({ name: 'outbox_messages' })
export class OutboxMessage {
  @PrimaryGeneratedColumn('increment')
  id!: number;

  @Column({ type: 'varchar', length: 16 })
  channel!: OutboxChannel;

  @Column({ type: 'varchar', length: OUTBOX_KIND_MAX_LENGTH })
  kind!: string;

  @Column({ type: 'varchar', length: OUTBOX_RECIPIENT_MAX_LENGTH })
  recipient!: string;

  @Column({ type: 'varchar', length: OUTBOX_ORDERING_KEY_MAX_LENGTH, nullable: true })
  orderingKey!: string | null;

  /** The channel's body as JSON; null once delivered (it may hold a token). */
  @Column({ type: 'text', nullable: true })
  payload!: string | null;

  @Column({ type: 'varchar', length: 16 })
  status!: OutboxStatus;

  @Column({ type: 'integer' })
  attempts!: number;

  @TimestampColumn()
  nextAttemptAt!: Date;

  /** The lease of a claim: past it, a crashed instance's claim can be taken again. */
  @TimestampColumn({ nullable: true })
  lockedUntil!: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  claimedBy!: string | null;

  @Column({ type: 'varchar', length: OUTBOX_LAST_ERROR_MAX_LENGTH, nullable: true })
  lastError!: string | null;

  @TimestampColumn()
  createdAt!: Date;

  /** The first delivery attempt: "dead after 24 h of failed tries" counts from here. */
  @TimestampColumn({ nullable: true })
  firstAttemptAt!: Date | null;

  @TimestampColumn({ nullable: true })
  sentAt!: Date | null;
}
