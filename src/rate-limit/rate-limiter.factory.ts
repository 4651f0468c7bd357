import { Injectable } from '@nestjs/common';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { AppConfig } from '../config/app-config';
import { RedisService } from '../redis/redis.service';
import { RateLimitedException } from './rate-limited.exception';

export interface FixedWindowOptions {
  /** Distinguishes this limiter's keys from the others'. */
  name: string;
  /** Allowed per key and window. */
  points: number;
  windowSeconds: number;
}

/**
 * Builds fixed-window limiters on the configured store: Redis when REDIS_URL is set, so every
 * instance counts together, memory otherwise. Both stores count atomically. No `blockDuration`:
 * a key is free again when its window ends, however often it was refused meanwhile, so an
 * attacker cannot keep someone else's account locked past the window.
 */
@Injectable()
export class RateLimiterFactory {
  constructor(
    private readonly config: AppConfig,
    private readonly redis: RedisService,
  ) {}

  create({ name, points, windowSeconds }: FixedWindowOptions): RateLimiterAbstract {
    const options = {
      keyPrefix: `${this.config.redisKeyPrefix}:${name}`,
      points,
      duration: windowSeconds,
    };
    if (!this.redis.client) {
      return new RateLimiterMemory(options);
    }
    return new RateLimiterRedis({
      ...options,
      storeClient: this.redis.client,
      // While Redis is unreachable each instance counts on its own rather than failing logins.
      insuranceLimiter: new RateLimiterMemory(options),
    });
  }
}

/**
 * Consumes one point, or throws a {@link RateLimitedException} when the key is over its limit.
 * Store errors (only possible without an insurance limiter) propagate as they are.
 */
export async function consumeOrRefuse(
  limiter: RateLimiterAbstract,
  key: string,
  message: string,
): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      throw new RateLimitedException(message, retryAfterSeconds(rejection));
    }
    throw rejection;
  }
}

export function retryAfterSeconds(result: RateLimiterRes): number {
  return Math.max(1, Math.ceil(result.msBeforeNext / 1000));
}
