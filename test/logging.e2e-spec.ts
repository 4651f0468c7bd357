import { Controller, Get, Module } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { Public } from '../src/auth/decorators/public.decorator';
import { bearer, login } from './support/auth-helpers';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser } from './support/factories/user.factory';

/** Collects every JSON line the app's logger writes. */
class CapturedLogs implements DestinationStream {
  readonly lines: string[] = [];

  write(line: string): void {
    this.lines.push(line);
  }

  get text(): string {
    return this.lines.join('');
  }

  records(): Record<string, unknown>[] {
    return this.text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

/** A route that crashes, so that the error line of the exception filter is written. */
@Controller('crash')
class CrashController {
  @Public()
  @Get()
  crash(): never {
    throw new Error('the handler crashed');
  }
}

@Module({ controllers: [CrashController] })
class CrashModule {}

describe('Structured logging', () => {
  let testApp: TestApp;
  const logs = new CapturedLogs();

  beforeAll(async () => {
    // trace: the most the app can ever write, so anything secret would show up here.
    testApp = await createTestApp(
      { LOG_LEVEL: 'trace' },
      { logDestination: logs, imports: [CrashModule] },
    );
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('writes every line as JSON, start-up messages included', () => {
    const records = logs.records();

    expect(records.length).toBeGreaterThan(0);
    expect(records.some((record) => record.context === 'NestApplication')).toBe(true);
  });

  it('logs neither the password of a login nor the tokens of later requests', async () => {
    const password = 'Secret-Pass-9f3a7c!';
    const testUser = await createUser(testApp.dataSource, { password });
    const tokens = await login(testApp, testUser);
    await testApp
      .http()
      .post('/api/v1/auth/login')
      .send({ username: testUser.user.username, password: `${password}-wrong` });
    await testApp
      .http()
      .post('/api/v1/auth/login')
      .type('form')
      .send({ username: testUser.user.username, password, grant_type: 'password' });
    const me = await testApp
      .http()
      .get(`/api/v1/users/me?access_token=${tokens.access_token}`)
      .set(bearer(tokens.access_token))
      .set('Cookie', `session=${tokens.refresh_token}`);
    await testApp.http().post('/api/v1/auth/refresh').send({ refresh_token: tokens.refresh_token });

    expect(me.status).toBe(200);
    const text = logs.text;
    expect(text).toContain('/api/v1/auth/login');
    expect(text).toContain('/api/v1/users/me');
    expect(text).not.toContain(password);
    expect(text).not.toContain(tokens.access_token);
    // The signature alone would let a reader who knows the claims rebuild the token.
    expect(text).not.toContain(tokens.access_token.split('.')[2]);
    expect(text).not.toContain(tokens.refresh_token);
  });

  it('redacts the Authorization header instead of dropping the request line', async () => {
    const testUser = await createUser(testApp.dataSource);
    const tokens = await login(testApp, testUser);

    await testApp
      .http()
      .get('/api/v1/users/me')
      .set(bearer(tokens.access_token))
      .set('X-Request-Id', 'trace-authz-1');

    const line = logs
      .records()
      .find((record) => (record.req as { id?: string } | undefined)?.id === 'trace-authz-1');
    expect(line).toMatchObject({ req: { method: 'GET', url: '/api/v1/users/me' } });
    expect(JSON.stringify(line)).not.toContain(tokens.access_token);
  });

  it('redacts secrets in the query string of the error line of a crashed request', async () => {
    const secret = 'Query-Secret-7d1e40!';

    const response = await testApp
      .http()
      .get(`/api/v1/crash?password=${secret}&newPassword=${secret}&token=${secret}&page=2`)
      .set('X-Request-Id', 'crash-redaction-1');

    expect(response.status).toBe(500);
    const errorLine = logs
      .records()
      .find((record) => String(record.msg).includes('/api/v1/crash') && record.level === 50);
    expect(errorLine?.msg).toBe(
      'GET /api/v1/crash?password=[Redacted]&newPassword=[Redacted]&token=[Redacted]&page=2 failed',
    );
    expect(logs.text).not.toContain(secret);
  });

  describe('the request line', () => {
    /** The one line the request with this id produced. */
    function requestLine(requestId: string): Record<string, unknown> | undefined {
      return logs
        .records()
        .find((record) => (record.req as { id?: string } | undefined)?.id === requestId);
    }

    it('carries method, route, status, duration, client address, user agent and request id', async () => {
      const testUser = await createUser(testApp.dataSource);
      const tokens = await login(testApp, testUser);
      const unknownPost = '00000000-0000-4000-8000-000000000000';

      await testApp
        .http()
        .get(`/api/v1/posts/${unknownPost}`)
        .set(bearer(tokens.access_token))
        .set('User-Agent', 'log-test-agent/1.0')
        .set('X-Request-Id', 'line-fields-1')
        .expect(404);

      const line = requestLine('line-fields-1');
      expect(line).toMatchObject({
        level: 30,
        msg: 'request completed',
        req: {
          id: 'line-fields-1',
          method: 'GET',
          url: `/api/v1/posts/${unknownPost}`,
          route: '/api/v1/posts/:id',
          userAgent: 'log-test-agent/1.0',
        },
        res: { statusCode: 404 },
      });
      expect((line?.req as { remoteAddress?: string }).remoteAddress).toMatch(/127\.0\.0\.1$/);
      expect(line?.responseTime).toEqual(expect.any(Number));
      expect(line?.responseTime as number).toBeGreaterThanOrEqual(0);
    });

    it('writes the status of a refused request and no route for a path that matches none', async () => {
      await testApp
        .http()
        .get('/api/v1/users/me')
        .set('X-Request-Id', 'line-refused-1')
        .expect(401);
      await testApp
        .http()
        .post('/api/v1/no-such-route')
        .set('X-Request-Id', 'line-unmatched-1')
        .expect(404);

      expect(requestLine('line-refused-1')).toMatchObject({
        req: { method: 'GET', route: '/api/v1/users/me' },
        res: { statusCode: 401 },
      });
      const unmatched = requestLine('line-unmatched-1');
      expect(unmatched).toMatchObject({
        req: { method: 'POST', url: '/api/v1/no-such-route' },
        res: { statusCode: 404 },
      });
      expect(unmatched?.req).not.toHaveProperty('route');
    });
  });

  describe('X-Request-Id', () => {
    it('echoes a well-formed X-Request-Id and tags the request log with it', async () => {
      const response = await testApp
        .http()
        .get('/api/v1/health/live')
        .set('X-Request-Id', 'abc-123_DEF.456');
      await testApp.http().get('/api/v1/users/me').set('X-Request-Id', 'abc-123_DEF.456');

      expect(response.headers['x-request-id']).toBe('abc-123_DEF.456');
      expect(
        logs
          .records()
          .some((record) => (record.req as { id?: string } | undefined)?.id === 'abc-123_DEF.456'),
      ).toBe(true);
    });

    it('generates a UUID when none is sent', async () => {
      const response = await testApp.http().get('/api/v1/health/live');

      expect(response.headers['x-request-id']).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    });

    it.each([
      ['too long', 'a'.repeat(129)],
      ['with characters outside [A-Za-z0-9._:-]', 'id with spaces"{}'],
    ])('replaces an id that is %s with a UUID', async (_reason, presented) => {
      const response = await testApp
        .http()
        .get('/api/v1/health/live')
        .set('X-Request-Id', presented);

      expect(response.headers['x-request-id']).not.toBe(presented);
      expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
});
