import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { OutboxChannels, type OutboxDelivery } from './outbox-channels';
import { OUTBOX_LAST_ERROR_MAX_LENGTH } from './outbox-message.entity';
import { OutboxMetrics } from './outbox-metrics';
import { afterFailure } from './outbox-retry';
import { OutboxStore, type ClaimedMessage } from './outbox-store';
import { OutboxTiming } from './outbox-timing';

/**
 * Delivers the outbox in every instance: polls (and wakes after a local enqueue commits), claims
 * due messages, hands each to its channel's handler, and records sent, retry or dead.
 * On shutdown it stops claiming and lets deliveries in flight finish within a grace period;
 * those still running after it have their claims released, so another instance sends them.
 */
@Injectable()
export class OutboxSender implements OnApplicationBootstrap, BeforeApplicationShutdown {
  /** Names this instance in `claimedBy`. */
  readonly instanceId = `${hostname().slice(0, 40)}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly logger = new Logger(OutboxSender.name);
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;
  private wakeRequested = false;
  private stopping = false;
  private lastPassError?: string;
  private readonly inFlight = new Set<number>();

  constructor(
    private readonly store: OutboxStore,
    private readonly channels: OutboxChannels,
    private readonly timing: OutboxTiming,
    private readonly metrics: OutboxMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  /** Look for due messages now rather than at the next poll. */
  wake(): void {
    if (this.stopping) {
      return;
    }
    if (this.pass) {
      this.wakeRequested = true;
    } else {
      this.schedule(0);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    if (!this.pass) {
      return;
    }
    let graceTimer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'grace-over'>((resolve) => {
      graceTimer = setTimeout(() => resolve('grace-over'), this.timing.shutdownGraceMs);
    });
    const outcome = await Promise.race([this.pass.then(() => 'done' as const), graceOver]);
    clearTimeout(graceTimer);
    if (outcome === 'grace-over' && this.inFlight.size > 0) {
      const ids = [...this.inFlight];
      this.logger.warn(
        `Releasing ${ids.length} outbox message(s) still being delivered at shutdown`,
      );
      await this.store.release(ids, this.instanceId).catch((error: unknown) => {
        this.logger.error(`Could not release outbox claims: ${describe(error)}`);
      });
    }
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.startPass(), delayMs);
    // The poll alone never keeps the process (or a test run) alive.
    this.timer.unref();
  }

  private startPass(): void {
    if (this.stopping || this.pass) {
      return;
    }
    this.wakeRequested = false;
    this.pass = this.runPass()
      .then((again) => {
        this.lastPassError = undefined;
        return again;
      })
      .catch((error: unknown) => {
        const message = describe(error);
        // Once per distinct error: a database outage would otherwise log every poll.
        if (!this.stopping && message !== this.lastPassError) {
          this.logger.error(`Outbox pass failed: ${message}`);
        }
        this.lastPassError = message;
        return false;
      })
      .then((again) => {
        this.pass = undefined;
        if (!this.stopping) {
          this.schedule(again || this.wakeRequested ? 0 : this.timing.pollIntervalMs);
        }
      });
  }

  /** One claim and its deliveries; true when more may be due at once (a full batch). */
  private async runPass(): Promise<boolean> {
    const now = new Date();
    const claimed = await this.store.claimDue({
      channels: this.channels.enabledChannels(),
      claimedBy: this.instanceId,
      now,
      lockedUntil: new Date(now.getTime() + this.timing.leaseMs),
      limit: this.timing.batchSize,
    });
    await Promise.all(claimed.map((message) => this.deliver(message)));
    return claimed.length === this.timing.batchSize;
  }

  private async deliver(message: ClaimedMessage): Promise<void> {
    this.inFlight.add(message.id);
    try {
      await this.tryDelivery(message);
    } finally {
      this.inFlight.delete(message.id);
    }
  }

  private async tryDelivery(message: ClaimedMessage): Promise<void> {
    try {
      const handler = this.channels.handlerFor(message.channel);
      if (!handler) {
        throw new Error(`no handler for the ${message.channel} channel`);
      }
      await handler.deliver(toDelivery(message));
    } catch (error) {
      await this.recordFailure(message, describe(error));
      return;
    }
    this.metrics.recordSent(message.channel);
    if (!(await this.store.markSent(message.id, this.instanceId, new Date()))) {
      // Only when the lease ran out mid-delivery and another instance took the message.
      this.logger.warn(`Outbox message ${message.id} was delivered after its claim had expired`);
    }
  }

  private async recordFailure(message: ClaimedMessage, error: string): Promise<void> {
    this.metrics.recordFailure(message.channel);
    const lastError = error.slice(0, OUTBOX_LAST_ERROR_MAX_LENGTH);
    const outcome = afterFailure(this.timing, message.attempts, message.firstAttemptAt, new Date());
    if (outcome.kind === 'dead') {
      this.metrics.recordDead(message.channel);
      this.logger.error(
        `Outbox ${message.channel} message ${message.id} (${message.kind}) is dead after ${message.attempts} tries: ${lastError}`,
      );
      await this.store.markDead(message.id, this.instanceId, lastError);
      return;
    }
    this.logger.warn(
      `Outbox ${message.channel} message ${message.id} (${message.kind}) failed (try ${message.attempts}): ${lastError}`,
    );
    await this.store.scheduleRetry(message.id, this.instanceId, outcome.nextAttemptAt, lastError);
  }
}

function toDelivery(message: ClaimedMessage): OutboxDelivery {
  const payload: unknown = message.payload === null ? null : JSON.parse(message.payload);
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new Error('the message has no payload object');
  }
  return {
    id: message.id,
    channel: message.channel,
    kind: message.kind,
    recipient: message.recipient,
    payload: payload as Record<string, unknown>,
    attempts: message.attempts,
  };
}

/** A short, secret-free description: credentials in URLs are masked. */
function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\/\/[^/@\s]*@/g, '//***@').replace(/\s+/g, ' ');
}
