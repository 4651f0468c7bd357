import { registerSecurityHeaders } from '../src/common/security-headers';
import { createTestApp, type TestApp } from './support/create-test-app';

const CSP =
  "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';" +
  "frame-ancestors 'none';img-src 'self' data:;object-src 'none';script-src 'self';" +
  "script-src-attr 'none';style-src 'self' 'unsafe-inline';connect-src 'self'";

describe(registerSecurityHeaders.name, () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  it.each([
    ['a public 200', '/api/v1/health/live', 200],
    ['a 401', '/api/v1/users/me', 401],
    ['a 404', '/api/v1/no-such-route', 404],
  ])('sends helmet headers on %s', async (_label, path, status) => {
    const response = await testApp.http().get(path);

    expect(response.status).toBe(status);
    expect(response.headers).toMatchObject({
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
    });
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('sends helmet headers on Swagger UI', async () => {
    const response = await testApp.http().get('/docs/');

    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toBe(CSP);
  });
});
