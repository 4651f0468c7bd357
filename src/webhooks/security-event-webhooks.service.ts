import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { OutboxService } from '../outbox/outbox.service';
import { SecurityEventResponseDto } from '../security-events/dto/security-event-response.dto';
import type { SecurityEvent } from '../security-events/security-event.entity';
import { SecurityEventsService } from '../security-events/security-events.service';

/** What the outbox keeps for one delivery: the body is signed afresh on every try. */
export interface WebhookPayload {
  /** The event id: the `webhook-id` of every try, so receivers can drop duplicates. */
  id: string;
  /** The exact JSON text POSTed, fixed at enqueue so every try sends the same bytes. */
  body: string;
}

/**
 * With WEBHOOK_URL and WEBHOOK_SECRET set, queues every security event for the webhook in the
 * event's own transaction: no event is announced that did not happen, none that happened is
 * lost. Ordered by user, so a receiver sees one account's events in the order they occurred.
 */
@Injectable()
export class SecurityEventWebhooks implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly events: SecurityEventsService,
    private readonly outbox: OutboxService,
  ) {}

  onModuleInit(): void {
    if (this.config.webhook) {
      this.events.subscribe(this);
    }
  }

  async afterRecord(manager: EntityManager, event: SecurityEvent): Promise<void> {
    const webhook = this.config.webhook;
    if (!webhook) {
      return;
    }
    const data = SecurityEventResponseDto.from(event);
    const payload: WebhookPayload = {
      id: event.id,
      body: JSON.stringify({ type: event.type, timestamp: data.at, data }),
    };
    await this.outbox.enqueue(manager, {
      channel: 'webhook',
      orderingKey: event.userId,
      recipient: webhook.url,
      kind: event.type,
      payload: { ...payload },
    });
  }
}
