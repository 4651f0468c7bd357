import { WellKnownController } from '../src/oauth/well-known.controller';
import { createTestApp, TEST_JWT_ISSUER, type TestApp } from './support/create-test-app';

const METADATA = '/.well-known/oauth-authorization-server';

describe(WellKnownController.name, () => {
  describe('HS256 without PUBLIC_URL or INTROSPECTION_TOKEN', () => {
    let testApp: TestApp;

    beforeAll(async () => {
      testApp = await createTestApp();
    });

    afterAll(async () => {
      await testApp.close();
    });

    it('builds absolute URLs from the request host, with no jwks_uri or introspection_endpoint', async () => {
      const response = await testApp.http().get(METADATA).set('Host', 'auth.internal:8080');

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        issuer: TEST_JWT_ISSUER,
        token_endpoint: 'http://auth.internal:8080/api/v1/auth/login',
        revocation_endpoint: 'http://auth.internal:8080/api/v1/auth/revoke',
        grant_types_supported: ['password', 'refresh_token'],
        token_endpoint_auth_methods_supported: ['none'],
        revocation_endpoint_auth_methods_supported: ['none'],
        response_types_supported: [],
      });
    });

    it('is served outside the API prefix only', async () => {
      const prefixed = await testApp.http().get(`/api/v1${METADATA}`);

      expect(prefixed.status).toBe(404);
    });

    it('answers 404 for the JWKS: HS256 has no public key', async () => {
      const response = await testApp.http().get('/.well-known/jwks.json');

      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    });
  });

  describe('with PUBLIC_URL, INTROSPECTION_TOKEN and TRUST_PROXY', () => {
    let testApp: TestApp;

    beforeAll(async () => {
      testApp = await createTestApp({
        PUBLIC_URL: 'https://api.example.com/',
        INTROSPECTION_TOKEN: 'introspection-token-0123456789',
        JWT_ISSUER: 'https://api.example.com',
        TRUST_PROXY: 'loopback',
      });
    });

    afterAll(async () => {
      await testApp.close();
    });

    it('uses PUBLIC_URL whatever the request says, and lists the introspection endpoint', async () => {
      const response = await testApp
        .http()
        .get(METADATA)
        .set('Host', 'internal:3000')
        .set('X-Forwarded-Proto', 'http');

      expect(response.body).toMatchObject({
        issuer: 'https://api.example.com',
        token_endpoint: 'https://api.example.com/api/v1/auth/login',
        revocation_endpoint: 'https://api.example.com/api/v1/auth/revoke',
        introspection_endpoint: 'https://api.example.com/api/v1/auth/introspect',
      });
      expect(response.body).not.toHaveProperty('jwks_uri');
    });
  });

  describe('without PUBLIC_URL, behind a trusted proxy', () => {
    let testApp: TestApp;

    beforeAll(async () => {
      testApp = await createTestApp({ TRUST_PROXY: 'loopback' });
    });

    afterAll(async () => {
      await testApp.close();
    });

    it('takes the scheme and host the proxy forwarded', async () => {
      const response = await testApp
        .http()
        .get(METADATA)
        .set('X-Forwarded-Proto', 'https')
        .set('X-Forwarded-Host', 'public.example.org');

      expect(response.body).toMatchObject({
        token_endpoint: 'https://public.example.org/api/v1/auth/login',
      });
    });
  });
});
