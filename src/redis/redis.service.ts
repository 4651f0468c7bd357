import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { closeRedisClient } from './close-redis-client';

/**
 * The app's one Redis connection when REDIS_URL is set (`client` is null otherwise), shared by
 * every feature that needs Redis (rate limits, health) and closed when the app shuts down.
 * ioredis reads the database index from the URL's path (`redis://host:6379/2`).
 */
@Injectable()
export class RedisService implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisService.name);
  readonly client: Redis | null;

  constructor(config: AppConfig) {
    this.client = config.redisUrl
      ? new Redis(config.redisUrl, {
          // Fail a command after one reconnection attempt instead of queueing it for ever, so a
          // Redis outage degrades the callers (see RateLimiterFactory) rather than hanging them.
          maxRetriesPerRequest: 1,
          connectionName: config.redisKeyPrefix,
        })
      : null;
    this.client?.on('error', (error: Error) => {
      this.logger.warn(`Redis: ${error.message}`);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.client) {
      await closeRedisClient(this.client);
    }
  }
}
