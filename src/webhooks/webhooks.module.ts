import { Module } from '@nestjs/common';
import { SecurityEventWebhooks } from './security-event-webhooks.service';
import { WebhookChannelHandler } from './webhook-channel.handler';

/**
 * Security events POSTed to WEBHOOK_URL (Standard Webhooks), through the outbox: the producer
 * queues in the event's transaction, {@link WebhookChannelHandler} delivers.
 */
@Module({
  providers: [SecurityEventWebhooks, WebhookChannelHandler],
})
export class WebhooksModule {}
