import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { AppConfig } from '../config/app-config';
import {
  OutboxChannels,
  type OutboxChannelHandler,
  type OutboxDelivery,
} from '../outbox/outbox-channels';
import type { WebhookPayload } from './security-event-webhooks.service';

/**
 * One try's time limit. Well inside the outbox's claim lease and shutdown grace, so a receiver
 * that hangs turns into a retry, not a message held for minutes.
 */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * The outbox's `webhook` channel: POSTs the event with the Standard Webhooks headers, signed at
 * each try (receivers refuse old timestamps). Anything but a 2xx, or no answer, throws, and the
 * outbox retries with growing delays; the `webhook-id` stays the event id on every try.
 */
@Injectable()
export class WebhookChannelHandler implements OutboxChannelHandler, OnModuleInit {
  readonly channel = 'webhook' as const;
  private readonly signer?: Webhook;

  constructor(
    config: AppConfig,
    private readonly channels: OutboxChannels,
  ) {
    this.signer = config.webhook ? new Webhook(config.webhook.secret) : undefined;
  }

  get enabled(): boolean {
    return this.signer !== undefined;
  }

  onModuleInit(): void {
    this.channels.register(this);
  }

  async deliver(message: OutboxDelivery): Promise<void> {
    if (!this.signer) {
      throw new Error('WEBHOOK_URL and WEBHOOK_SECRET are not set');
    }
    const { id, body } = message.payload as unknown as WebhookPayload;
    const sentAt = new Date();
    const response = await fetch(message.recipient, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': this.signer.sign(id, sentAt, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    // The answer's body is not needed; reading it frees the connection.
    await response.arrayBuffer().catch(() => undefined);
    if (response.status < 200 || response.status > 299) {
      throw new Error(`the webhook answered ${response.status}`);
    }
  }
}
