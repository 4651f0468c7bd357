import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxCommitWakeup } from './outbox-commit-wakeup';
import {
  OUTBOX_KIND_MAX_LENGTH,
  OUTBOX_ORDERING_KEY_MAX_LENGTH,
  OUTBOX_RECIPIENT_MAX_LENGTH,
  OutboxMessage,
  type OutboxChannel,
} from './outbox-message.entity';

export interface NewOutboxMessage {
  channel: OutboxChannel;
  /** Messages with the same key are delivered in order (webhooks: per user); null = no ordering. */
  orderingKey: string | null;
  /** mail: the recipient address; webhook: the URL. Kept after delivery. */
  recipient: string;
  /** What it is, kept after delivery: the mail's kind ('password-reset', ...) or the event type. */
  kind: string;
  /** The channel's body, erased once delivered. mail: MailContent; webhook: body and headers inputs. */
  payload: Record<string, unknown>;
}

/** The producers' side of the outbox. */
@Injectable()
export class OutboxService {
  constructor(private readonly wakeup: OutboxCommitWakeup) {}

  /**
   * Writes a message in the caller's transaction (pass the transaction's manager); the sender
   * delivers it once that transaction commits, and never if it rolls back.
   */
  async enqueue(manager: EntityManager, message: NewOutboxMessage): Promise<void> {
    assertFits('recipient', message.recipient, OUTBOX_RECIPIENT_MAX_LENGTH);
    assertFits('kind', message.kind, OUTBOX_KIND_MAX_LENGTH);
    if (message.orderingKey !== null) {
      assertFits('orderingKey', message.orderingKey, OUTBOX_ORDERING_KEY_MAX_LENGTH);
    }
    const now = new Date();
    await manager.insert(OutboxMessage, {
      channel: message.channel,
      kind: message.kind,
      recipient: message.recipient,
      orderingKey: message.orderingKey,
      payload: JSON.stringify(message.payload),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
    });
    this.wakeup.afterEnqueue(manager);
  }
}

// A programming error (the callers validate what users send), so a plain Error: it fails the
// caller's transaction rather than storing a message that could never be delivered.
function assertFits(field: string, value: string, maxLength: number): void {
  if (value.length === 0 || value.length > maxLength) {
    throw new Error(`Outbox message ${field} must be 1 to ${maxLength} characters`);
  }
}
