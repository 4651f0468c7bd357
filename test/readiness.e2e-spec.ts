import { HealthController } from '../src/health/health.controller';
import { ShutdownState } from '../src/health/shutdown-state.service';
import { createTestApp, type TestApp } from './support/create-test-app';

describe(HealthController.name, () => {
  describe('GET /health while shutting down', () => {
    let testApp: TestApp;

    beforeAll(async () => {
      testApp = await createTestApp();
    });

    afterAll(async () => {
      await testApp.close();
    });

    it('answers 503 for readiness and 200 for liveness once shutdown has begun', async () => {
      expect((await testApp.http().get('/api/v1/health')).status).toBe(200);

      // What Nest calls on SIGTERM before the HTTP server stops accepting.
      testApp.app.get(ShutdownState).beforeApplicationShutdown('SIGTERM');
      const readiness = await testApp.http().get('/api/v1/health');
      const liveness = await testApp.http().get('/api/v1/health/live');

      expect(readiness.status).toBe(503);
      expect(readiness.body).toMatchObject({ statusCode: 503 });
      expect(liveness.status).toBe(200);
    });
  });

  describe('GET /health with REDIS_URL set', () => {
    let testApp: TestApp;

    beforeAll(async () => {
      // Nothing listens on port 1: the check must report Redis down, not hang.
      testApp = await createTestApp({ REDIS_URL: 'redis://127.0.0.1:1/0' });
    });

    afterAll(async () => {
      await testApp.close();
    });

    it('answers 503 naming Redis when Redis does not answer', async () => {
      const response = await testApp.http().get('/api/v1/health');

      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ statusCode: 503 });
      // The same app answers liveness: only the Redis check can have failed readiness.
      expect((await testApp.http().get('/api/v1/health/live')).status).toBe(200);
    });
  });
});
