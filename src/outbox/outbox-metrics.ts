import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service';
import { OUTBOX_CHANNELS, type OutboxChannel } from './outbox-message.entity';
import { OutboxStore } from './outbox-store';

/** The outbox's series, in the app's registry; `channel` is `mail` or `webhook`. */
@Injectable()
export class OutboxMetrics {
  private readonly sent: Counter<'channel'>;
  private readonly failures: Counter<'channel'>;
  private readonly dead: Counter<'channel'>;

  constructor(metrics: MetricsService, store: OutboxStore) {
    const registers = [metrics.registry];
    new Gauge({
      name: 'outbox_messages_pending',
      help: 'Messages not yet delivered (pending or being sent), across all instances (read at scrape time)',
      labelNames: ['channel'] as const,
      registers,
      async collect() {
        const counts = await store.countUndelivered();
        for (const channel of OUTBOX_CHANNELS) {
          this.set({ channel }, counts.get(channel) ?? 0);
        }
      },
    });
    this.sent = new Counter({
      name: 'outbox_messages_sent_total',
      help: 'Messages delivered by this instance',
      labelNames: ['channel'] as const,
      registers,
    });
    this.failures = new Counter({
      name: 'outbox_delivery_failures_total',
      help: 'Failed delivery tries by this instance (each is retried later, or the message dies)',
      labelNames: ['channel'] as const,
      registers,
    });
    this.dead = new Counter({
      name: 'outbox_messages_dead_total',
      help: 'Messages given up after failing for the whole retry period',
      labelNames: ['channel'] as const,
      registers,
    });
    for (const channel of OUTBOX_CHANNELS) {
      // Present at zero from the start, so rate() and alerts see the series before the first event.
      this.sent.inc({ channel }, 0);
      this.failures.inc({ channel }, 0);
      this.dead.inc({ channel }, 0);
    }
  }

  recordSent(channel: OutboxChannel): void {
    this.sent.inc({ channel });
  }

  recordFailure(channel: OutboxChannel): void {
    this.failures.inc({ channel });
  }

  recordDead(channel: OutboxChannel): void {
    this.dead.inc({ channel });
  }
}
