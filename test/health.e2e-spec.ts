import { HealthController } from '../src/health/health.controller';
import { createTestApp, type TestApp } from './support/create-test-app';

describe(HealthController.name, () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('GET /health answers 200 {status: "ok"} with the database up, without a token', async () => {
    const response = await testApp.http().get('/api/v1/health');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' } },
    });
  });

  it('GET /health/live answers 200 without a token', async () => {
    const response = await testApp.http().get('/api/v1/health/live');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('GET /health answers 503 once the database is gone, while /health/live stays 200', async () => {
    const doomed = await createTestApp();
    try {
      await doomed.dataSource.destroy();

      const ready = await doomed.http().get('/api/v1/health');
      const live = await doomed.http().get('/api/v1/health/live');

      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
      expect(JSON.stringify(ready.body)).not.toMatch(/SQLITE|postgres|stack/i);
      expect(live.status).toBe(200);
    } finally {
      await doomed.close();
    }
  });
});
