import Redis from 'ioredis';
import request from 'supertest';
import { Client } from 'pg';
import { MIGRATIONS } from '../src/database/data-source-options';
import { ensureBuilt, startBuiltApp, waitForStatus, type BuiltApp } from './support/built-app';
import { TEST_ENCRYPTION_KEY, TEST_JWT_SECRET } from './support/create-test-app';
import { uniqueName } from './support/factories/user.factory';
import {
  createPostgresDatabase,
  DEFAULT_TEST_POSTGRES_URL,
  dropPostgresDatabase,
} from './support/test-database';

// PostgreSQL and Redis only: jest.config.js leaves this file out unless TEST_PG=1.
const REDIS_DB = 9;
const ADMIN_EMAIL = 'root-admin@example.com';
const ADMIN_PASSWORD = 'Adm1n-Correct-Horse-Battery!';
const PASSWORD = 'Tr0ub4dor&3-horse-staple';

interface Tokens {
  access_token: string;
  refresh_token: string;
}

describe('Two instances on one PostgreSQL and Redis', () => {
  let databaseUrl: string;
  let redisUrl: string;
  let a: BuiltApp;
  let b: BuiltApp;

  beforeAll(async () => {
    const redisBase = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    redisBase.pathname = `/${REDIS_DB}`;
    redisUrl = redisBase.toString();
    const redis = new Redis(redisUrl);
    // A database index of its own, emptied, so counters from other runs cannot trip the limit.
    await redis.flushdb();
    await redis.quit();
    [databaseUrl] = await Promise.all([
      createPostgresDatabase(process.env.TEST_PG_BASE_URL ?? DEFAULT_TEST_POSTGRES_URL),
      ensureBuilt(),
    ]);
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      JWT_SECRET: TEST_JWT_SECRET,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      BCRYPT_COST: '10',
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
      LOGIN_MAX_ATTEMPTS: '3',
      LOG_LEVEL: 'warn',
    };
    // The same moment, on an empty database: both race for migrations and the admin.
    [a, b] = await Promise.all([startBuiltApp(env), startBuiltApp(env)]);
    await Promise.all([waitForStatus(a, '/api/v1/health'), waitForStatus(b, '/api/v1/health')]);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    if (databaseUrl) {
      await dropPostgresDatabase(databaseUrl);
    }
  }, 60_000);

  const query = async <T>(sql: string, parameters: unknown[] = []): Promise<T[]> => {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return (await client.query(sql, parameters)).rows as T[];
    } finally {
      await client.end();
    }
  };

  const http = (app: BuiltApp) => request(app.baseUrl);

  const register = async (app: BuiltApp): Promise<{ id: string; username: string }> => {
    const username = uniqueName('multi');
    const response = await http(app)
      .post('/api/v1/auth/register')
      .send({ email: `${username}@example.com`, username, password: PASSWORD });
    expect(response.status).toBe(201);
    return { id: response.body.id as string, username };
  };

  const login = async (app: BuiltApp, username: string, password = PASSWORD): Promise<Tokens> => {
    const response = await http(app)
      .post('/api/v1/auth/login')
      .type('form')
      .send({ username, password });
    expect(response.status).toBe(200);
    return response.body as Tokens;
  };

  const me = (app: BuiltApp, tokens: Tokens) =>
    http(app).get('/api/v1/users/me').set('Authorization', `Bearer ${tokens.access_token}`);

  it('brings both instances to ready, Redis included', async () => {
    expect((await http(a).get('/api/v1/health')).status).toBe(200);
    expect((await http(b).get('/api/v1/health')).status).toBe(200);
  });

  it('runs every migration exactly once when both start together on an empty database', async () => {
    const rows = await query<{ name: string; count: string }>(
      'SELECT name, COUNT(*) AS count FROM migrations GROUP BY name',
    );

    expect(rows.map((row) => row.name).sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
    expect(rows.every((row) => Number(row.count) === 1)).toBe(true);
  });

  it('creates the bootstrap admin exactly once', async () => {
    const rows = await query<{ count: string }>(
      'SELECT COUNT(*) AS count FROM users WHERE lower(email) = $1',
      [ADMIN_EMAIL],
    );

    expect(Number(rows[0].count)).toBe(1);
  });

  it('accepts on B an access token issued by A', async () => {
    const user = await register(a);
    const tokens = await login(a, user.username);

    const response = await me(b, tokens);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: user.id, username: user.username });
  });

  it('refuses on B, at once, a session logged out on A', async () => {
    const user = await register(a);
    const tokens = await login(a, user.username);
    expect((await me(b, tokens)).status).toBe(200);

    const logout = await http(a)
      .post('/api/v1/auth/logout')
      .set('Authorization', `Bearer ${tokens.access_token}`)
      .send({ refresh_token: tokens.refresh_token });

    expect(logout.status).toBe(204);
    expect((await me(b, tokens)).status).toBe(401);
  });

  it('refuses on B, at once, a user disabled by an admin on A', async () => {
    const user = await register(b);
    const tokens = await login(b, user.username);
    expect((await me(b, tokens)).status).toBe(200);
    const admin = await login(a, ADMIN_EMAIL, ADMIN_PASSWORD);

    const disable = await http(a)
      .patch(`/api/v1/users/${user.id}`)
      .set('Authorization', `Bearer ${admin.access_token}`)
      .send({ isActive: false });

    expect(disable.status).toBe(200);
    expect((await me(b, tokens)).status).toBe(401);
  });

  it('counts failed logins across both instances (LOGIN_MAX_ATTEMPTS=3)', async () => {
    const user = await register(a);
    const fail = (app: BuiltApp) =>
      http(app).post('/api/v1/auth/login').send({ username: user.username, password: 'Wrong-1' });

    expect((await fail(a)).status).toBe(401);
    expect((await fail(a)).status).toBe(401);
    expect((await fail(b)).status).toBe(401);
    const limited = await http(a)
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: PASSWORD });

    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });
});
