import { Injectable } from '@nestjs/common';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppConfig } from '../config/app-config';
import { addressBucket } from './address-bucket';
import { consumeOrRefuse, RateLimiterFactory } from './rate-limiter.factory';

export const TOO_MANY_REQUESTS = 'Too many requests; try again later';
const ONE_MINUTE = 60;

/**
 * AUTH_RATE_LIMIT requests per minute per client address (an IPv6 client by its /64, see
 * addressBucket) and route, on the shared store.
 */
@Injectable()
export class AuthRateLimitService {
  private readonly limiter: RateLimiterAbstract;

  constructor(config: AppConfig, limiters: RateLimiterFactory) {
    this.limiter = limiters.create({
      name: 'auth-rate',
      points: config.authRateLimit,
      windowSeconds: ONE_MINUTE,
    });
  }

  /** Counts one request; throws a 429 with Retry-After past the limit. */
  consume(route: string, address: string): Promise<void> {
    return consumeOrRefuse(this.limiter, `${route}|${addressBucket(address)}`, TOO_MANY_REQUESTS);
  }
}
