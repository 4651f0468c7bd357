import { randomUUID } from 'node:crypto';
import { MetricsController } from '../src/metrics/metrics.controller';
import { MetricsService } from '../src/metrics/metrics.service';
import { Session } from '../src/sessions/session.entity';
import { bearer, login } from './support/auth-helpers';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser } from './support/factories/user.factory';
import { usingPostgres } from './support/test-database';

/** The value of one series in Prometheus text, or undefined when it is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe(MetricsController.name, () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  const scrape = async (): Promise<string> => {
    const response = await testApp.http().get('/metrics');
    expect(response.status).toBe(200);
    return response.text;
  };

  it('serves Prometheus text outside the /api/v1 prefix without a token by default', async () => {
    const response = await testApp.http().get('/metrics');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.text).toContain('# TYPE http_requests_total counter');
    expect(response.text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(response.text).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect((await testApp.http().get('/api/v1/metrics')).status).toBe(404);
  });

  it('counts requests by route pattern and status, never by raw URL', async () => {
    const testUser = await createUser(testApp.dataSource);
    const tokens = await login(testApp, testUser);
    await testApp.http().get('/api/v1/users/me').set(bearer(tokens.access_token));
    await testApp.http().get('/api/v1/users/me');
    const unknownPath = `/api/v1/nothing-here/${randomUUID()}`;
    await testApp.http().get(unknownPath);

    const text = await scrape();

    const series = (status: number): string =>
      `http_requests_total{method="GET",route="/api/v1/users/me",status_code="${status}"}`;
    expect(sample(text, series(200))).toBeGreaterThanOrEqual(1);
    expect(sample(text, series(401))).toBeGreaterThanOrEqual(1);
    expect(
      sample(
        text,
        'http_request_duration_seconds_count{method="GET",route="/api/v1/users/me",status_code="200"}',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'http_requests_total{method="GET",route="unmatched",status_code="404"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(unknownPath);
  });

  it('counts login successes and failures', async () => {
    const before = await scrape();
    const testUser = await createUser(testApp.dataSource);
    const disabled = await createUser(testApp.dataSource, { isActive: false });
    await login(testApp, testUser);
    const attempt = (username: string, password: string) =>
      testApp.http().post('/api/v1/auth/login').send({ username, password });
    expect((await attempt(testUser.user.username, 'Wrong-password-1')).status).toBe(401);
    expect((await attempt('nobody-by-this-name', 'Wrong-password-1')).status).toBe(401);
    expect((await attempt(disabled.user.username, disabled.password)).status).toBe(403);

    const after = await scrape();

    const delta = (outcome: string): number =>
      (sample(after, `auth_logins_total{outcome="${outcome}"}`) ?? 0) -
      (sample(before, `auth_logins_total{outcome="${outcome}"}`) ?? 0);
    expect(delta('success')).toBe(1);
    expect(delta('invalid_credentials')).toBe(2);
    expect(delta('disabled')).toBe(1);
  });

  it('exposes refresh token reuse detections as a counter', async () => {
    const before = sample(await scrape(), 'auth_refresh_token_reuse_total') ?? 0;

    testApp.app.get(MetricsService).recordRefreshReuse();

    expect(sample(await scrape(), 'auth_refresh_token_reuse_total')).toBe(before + 1);
  });

  it('reports the sessions that are neither revoked nor expired, read at scrape time', async () => {
    const testUser = await createUser(testApp.dataSource);
    await login(testApp, testUser);
    await login(testApp, testUser);
    const sessions = testApp.dataSource.getRepository(Session);
    const [revoked] = await sessions.findBy({ userId: testUser.user.id });
    await sessions.update({ id: revoked.id }, { revokedAt: new Date() });
    const live = await sessions
      .createQueryBuilder('session')
      .where('session.revokedAt IS NULL')
      .andWhere('session.expiresAt > :now', { now: new Date() })
      .getCount();

    const value = sample(await scrape(), 'auth_active_sessions');

    if (usingPostgres()) {
      // Other test files share the PostgreSQL database and open sessions meanwhile.
      expect(value).toBeGreaterThanOrEqual(1);
    } else {
      expect(value).toBe(live);
    }
  });

  it('keeps /metrics out of the OpenAPI document', async () => {
    const response = await testApp.http().get('/docs-json');

    expect(response.status).toBe(200);
    expect(Object.keys(response.body.paths as object)).not.toContain('/metrics');
  });

  describe('with METRICS_TOKEN set', () => {
    const metricsToken = 'scrape-token-7d1f0c2b9a';
    let protectedApp: TestApp;

    beforeAll(async () => {
      protectedApp = await createTestApp({ METRICS_TOKEN: metricsToken });
    });

    afterAll(async () => {
      await protectedApp.close();
    });

    it('returns 200 to the matching bearer token', async () => {
      const response = await protectedApp.http().get('/metrics').set(bearer(metricsToken));

      expect(response.status).toBe(200);
      expect(response.text).toContain('http_requests_total');
    });

    it.each([
      ['no Authorization header', undefined],
      ['a wrong token', 'Bearer scrape-token-7d1f0c2b9b'],
      ['a prefix of the token', 'Bearer scrape-token'],
      ['another scheme', `Basic ${metricsToken}`],
    ])('returns 401 with WWW-Authenticate for %s', async (_case, authorization) => {
      const call = protectedApp.http().get('/metrics');
      const response = await (authorization === undefined
        ? call
        : call.set('Authorization', authorization));

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(response.text).not.toContain('http_requests_total');
    });
  });
});
