import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { LoginAttemptsService } from '../src/rate-limit/login-attempts.service';
import { RateLimiterFactory } from '../src/rate-limit/rate-limiter.factory';
import { RedisService } from '../src/redis/redis.service';
import { addressedClient, type AddressedRequest, type RawResponse } from './support/client-address';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser } from './support/factories/user.factory';

// Runs only when REDIS_URL is set (jest.config.js leaves the file out otherwise).
const REDIS_URL = process.env.REDIS_URL ?? '';
const MAX_ATTEMPTS = 2;

type Send = (request: AddressedRequest) => Promise<RawResponse>;

/** The same Redis server, another database index. */
function withDatabaseIndex(url: string, index: number): string {
  const parsed = new URL(url);
  parsed.pathname = `/${index}`;
  return parsed.toString();
}

describe(`${LoginAttemptsService.name} on Redis`, () => {
  // A prefix of its own, so parallel or repeated runs on one Redis never share counters.
  const prefix = `nest-auth-test-${randomBytes(6).toString('hex')}`;
  const redisUrl = withDatabaseIndex(REDIS_URL, 3);
  let first: TestApp;
  let second: TestApp;
  let sendToFirst: Send;
  let sendToSecond: Send;
  let inspector: Redis;

  beforeAll(async () => {
    const env = {
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
      LOGIN_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    };
    first = await createTestApp(env);
    // Both instances on one database, as two processes behind a load balancer would be.
    second = await createTestApp({ ...env, DATABASE_URL: first.databaseUrl });
    sendToFirst = await addressedClient(first.app);
    sendToSecond = await addressedClient(second.app);
    inspector = new Redis(redisUrl);
  });

  afterAll(async () => {
    const keys = await inspector.keys(`${prefix}:*`);
    if (keys.length > 0) {
      await inspector.del(...keys);
    }
    await inspector.quit();
    await second.close();
    await first.close();
  });

  it('uses the Redis store when REDIS_URL is set', () => {
    const limiter = first.app
      .get(RateLimiterFactory)
      .create({ name: 'probe', points: 1, windowSeconds: 1 });

    expect(limiter).toBeInstanceOf(RateLimiterRedis);
  });

  it('shares one login limit between two instances', async () => {
    const { user, password } = await createUser(first.dataSource);
    const wrong = { username: user.email, password: 'wrong-password' };
    expect(
      (await sendToFirst({ path: '/api/v1/auth/login', from: '127.0.2.2', body: wrong })).status,
    ).toBe(401);
    expect(
      (await sendToSecond({ path: '/api/v1/auth/login', from: '127.0.2.3', body: wrong })).status,
    ).toBe(401);

    const onFirst = await sendToFirst({
      path: '/api/v1/auth/login',
      from: '127.0.2.4',
      body: { username: user.username, password },
    });
    const onSecond = await sendToSecond({
      path: '/api/v1/auth/login',
      from: '127.0.2.5',
      body: { username: user.username, password },
    });

    expect(onFirst.status).toBe(429);
    expect(onSecond.status).toBe(429);
    expect(Number(onSecond.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('shares one per-address limit between two instances', async () => {
    const accounts = await Promise.all([1, 2, 3].map(() => createUser(first.dataSource)));
    const [a, b, c] = accounts;
    const from = '127.0.2.6';
    expect(
      (
        await sendToFirst({
          path: '/api/v1/auth/login',
          from,
          body: { username: a.user.email, password: 'x-wrong-1' },
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await sendToSecond({
          path: '/api/v1/auth/login',
          from,
          body: { username: b.user.email, password: 'x-wrong-2' },
        })
      ).status,
    ).toBe(401);

    const response = await sendToFirst({
      path: '/api/v1/auth/login',
      from,
      body: { username: c.user.email, password: c.password },
    });

    expect(response.status).toBe(429);
  });

  it('shares the AUTH_RATE_LIMIT count between two instances', async () => {
    const limited = await createTestApp({
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
      AUTH_RATE_LIMIT: '2',
    });
    const other = await createTestApp({
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
      AUTH_RATE_LIMIT: '2',
      DATABASE_URL: limited.databaseUrl,
    });
    try {
      const sendA = await addressedClient(limited.app);
      const sendB = await addressedClient(other.app);
      const register = { path: '/api/v1/auth/register', from: '127.0.2.7', body: {} };

      const statuses = [
        (await sendA(register)).status,
        (await sendB(register)).status,
        (await sendA(register)).status,
        (await sendB(register)).status,
      ];

      expect(statuses).toEqual([400, 400, 429, 429]);
    } finally {
      await other.close();
      await limited.close();
    }
  });

  it('writes its counters under the prefix, in the database the URL names', async () => {
    const other = new Redis(withDatabaseIndex(REDIS_URL, 4));
    try {
      expect((await inspector.keys(`${prefix}:*`)).length).toBeGreaterThan(0);
      expect(await other.keys(`${prefix}:*`)).toEqual([]);
    } finally {
      await other.quit();
    }
  });

  it('closes its Redis connection when the app shuts down', async () => {
    const app = await createTestApp({ REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix });
    const client = app.app.get(RedisService).client;
    expect(await client?.ping()).toBe('PONG');

    await app.close();

    expect(client?.status).toBe('end');
  });
});
