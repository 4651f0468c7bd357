import { Injectable } from '@nestjs/common';
import type { OutboxChannel } from './outbox-message.entity';

/** A claimed message as its channel handler sees it. */
export interface OutboxDelivery {
  id: number;
  channel: OutboxChannel;
  kind: string;
  recipient: string;
  payload: Record<string, unknown>;
  /** Tries so far, this one included. */
  attempts: number;
}

/** Delivers one channel's messages; throwing means "try again later". */
export interface OutboxChannelHandler {
  readonly channel: OutboxChannel;
  /** False: this channel's messages stay pending (production mail without SMTP_URL). */
  readonly enabled: boolean;
  deliver(message: OutboxDelivery): Promise<void>;
}

/** The channel handlers; each channel's module registers its own at init. */
@Injectable()
export class OutboxChannels {
  private readonly handlers = new Map<OutboxChannel, OutboxChannelHandler>();

  register(handler: OutboxChannelHandler): void {
    if (this.handlers.has(handler.channel)) {
      throw new Error(`An outbox handler for "${handler.channel}" is already registered`);
    }
    this.handlers.set(handler.channel, handler);
  }

  handlerFor(channel: OutboxChannel): OutboxChannelHandler | undefined {
    return this.handlers.get(channel);
  }

  /** Channels whose messages the sender may claim now. */
  enabledChannels(): OutboxChannel[] {
    return [...this.handlers.values()]
      .filter((handler) => handler.enabled)
      .map((handler) => handler.channel);
  }
}
