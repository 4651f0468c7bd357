import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { SecurityEventsService } from './security-events.service';

/** How often each instance deletes the events past AUDIT_RETENTION. */
export const RETENTION_PURGE_INTERVAL_MS = 60 * 60_000;

/**
 * Keeps the audit log within AUDIT_RETENTION: a purge soon after start-up, then hourly. Every
 * instance runs it; the DELETE is idempotent, so several at once only repeat each other.
 */
@Injectable()
export class SecurityEventsRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SecurityEventsRetention.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly events: SecurityEventsService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Deletes what is past the retention now; a failure is logged and retried at the next run. */
  async purge(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.auditRetentionSeconds * 1000);
    try {
      return await this.events.purgeOlderThan(cutoff);
    } catch (error) {
      this.logger.warn(`Purging old security events failed: ${String(error)}`);
      return 0;
    }
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      void this.purge().finally(() => {
        if (this.timer) {
          this.schedule(RETENTION_PURGE_INTERVAL_MS);
        }
      });
    }, delayMs);
    // Never what keeps the process (or a test run) alive.
    this.timer.unref();
  }
}
