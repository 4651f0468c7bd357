import { login } from './support/auth-helpers';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser } from './support/factories/user.factory';

const ALLOWED_ORIGIN = 'https://app.example.com';

describe('Security headers', () => {
  describe('with CORS_ORIGINS set', () => {
    let testApp: TestApp;

    beforeAll(async () => {
      testApp = await createTestApp({
        CORS_ORIGINS: `${ALLOWED_ORIGIN},https://admin.example.com`,
      });
    });

    afterAll(async () => {
      await testApp.close();
    });

    it('answers a preflight from an allowed origin', async () => {
      const response = await testApp
        .http()
        .options('/api/v1/auth/login')
        .set('Origin', ALLOWED_ORIGIN)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type,authorization');

      expect(response.status).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      expect(response.headers['access-control-allow-methods']).toContain('POST');
    });

    it('gives a preflight from any other origin no CORS permission', async () => {
      const response = await testApp
        .http()
        .options('/api/v1/auth/login')
        .set('Origin', 'https://evil.example.net')
        .set('Access-Control-Request-Method', 'POST');

      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('allows a simple request from an allowed origin and exposes Retry-After', async () => {
      const response = await testApp
        .http()
        .get('/api/v1/health/live')
        .set('Origin', ALLOWED_ORIGIN);

      expect(response.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      expect(response.headers['access-control-expose-headers']).toContain('Retry-After');
    });

    it('gives a simple request from another origin no CORS permission', async () => {
      const response = await testApp
        .http()
        .get('/api/v1/health/live')
        .set('Origin', 'https://app.example.com.evil.net');

      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('with the defaults', () => {
    let testApp: TestApp;

    beforeAll(async () => {
      testApp = await createTestApp();
    });

    afterAll(async () => {
      await testApp.close();
    });

    it('sends no CORS headers when CORS_ORIGINS is unset', async () => {
      const response = await testApp
        .http()
        .options('/api/v1/auth/login')
        .set('Origin', ALLOWED_ORIGIN)
        .set('Access-Control-Request-Method', 'POST');

      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('sends Cache-Control: no-store with the tokens of a login', async () => {
      const testUser = await createUser(testApp.dataSource);
      const response = await testApp
        .http()
        .post('/api/v1/auth/login')
        .type('form')
        .send({ username: testUser.user.email, password: testUser.password });

      expect(response.status).toBe(200);
      expect(response.body.access_token).toEqual(expect.any(String));
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers.pragma).toBe('no-cache');
    });

    it('sends a content security policy that allows only this origin and no framing', async () => {
      const response = await testApp.http().get('/api/v1/health/live');
      const csp = response.headers['content-security-policy'];

      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
    });

    it('sends nosniff, a frame ban and no X-Powered-By on API responses', async () => {
      const testUser = await createUser(testApp.dataSource);
      const tokens = await login(testApp, testUser);
      const response = await testApp
        .http()
        .get('/api/v1/users/me')
        .set('Authorization', `Bearer ${tokens.access_token}`);

      expect(response.status).toBe(200);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(response.headers['x-powered-by']).toBeUndefined();
    });
  });
});
