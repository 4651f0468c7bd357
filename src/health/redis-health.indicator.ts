import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { closeRedisClient } from '../redis/close-redis-client';

const PING_TIMEOUT_MS = 3000;

/**
 * Readiness of Redis when REDIS_URL is set: a PING on a connection of its own, so that the check
 * does not queue behind (or disturb) the limiter's traffic. Closed after the HTTP server.
 */
@Injectable()
export class RedisHealthIndicator implements OnApplicationShutdown {
  private readonly client?: Redis;

  constructor(
    private readonly indicators: HealthIndicatorService,
    config: AppConfig,
  ) {
    if (config.redisUrl) {
      this.client = new Redis(config.redisUrl, {
        lazyConnect: true,
        connectTimeout: PING_TIMEOUT_MS,
        maxRetriesPerRequest: 1,
        // After a failed connection ioredis waits this long before dropping the dead socket,
        // holding the process open at exit (default 2 s).
        disconnectTimeout: 200,
      });
      // Connection errors are what the check reports; without a listener ioredis prints each one.
      this.client.on('error', () => undefined);
    }
  }

  get enabled(): boolean {
    return this.client !== undefined;
  }

  async pingCheck(key: string): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    if (!this.client) {
      return indicator.up();
    }
    try {
      await withTimeout(this.client.ping(), PING_TIMEOUT_MS);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : 'unreachable' });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.client) {
      await closeRedisClient(this.client);
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
