import { ResourceOwnerPassword, type AccessToken } from 'simple-oauth2';
import { bearer } from './support/auth-helpers';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser, type TestUser } from './support/factories/user.factory';

interface BoomLike {
  output?: { statusCode?: number };
  data?: { payload?: unknown };
}

/** The parsed error body simple-oauth2 (through @hapi/wreck) hands over with a 4xx. */
function errorPayload(error: unknown): Record<string, unknown> {
  const payload = (error as BoomLike).data?.payload;
  const text = Buffer.isBuffer(payload) ? payload.toString() : payload;
  return (typeof text === 'string' ? JSON.parse(text) : text) as Record<string, unknown>;
}

describe('A real OAuth 2.0 client library (simple-oauth2) against the token endpoint', () => {
  let testApp: TestApp;
  let testUser: TestUser;
  let tokenHost: string;

  beforeAll(async () => {
    testApp = await createTestApp({ AUTH_RATE_LIMIT: '1000' });
    await testApp.app.listen({ port: 0, host: '127.0.0.1' });
    const address = testApp.app.getHttpServer().address();
    if (address === null || typeof address === 'string') {
      throw new Error('not listening on a port');
    }
    tokenHost = `http://127.0.0.1:${address.port}`;
    testUser = await createUser(testApp.dataSource);
  });

  afterAll(async () => {
    await testApp.close();
  });

  describe.each([
    [
      '/auth/login for both grants, client credentials in a Basic header',
      '/api/v1/auth/login',
      'header',
    ],
    [
      '/auth/refresh for the refresh grant, client credentials in the body',
      '/api/v1/auth/refresh',
      'body',
    ],
  ] as const)('refreshing through %s', (_case, refreshPath, authorizationMethod) => {
    const client = () =>
      new ResourceOwnerPassword({
        client: { id: 'my-app', secret: '' },
        auth: {
          tokenHost,
          tokenPath: '/api/v1/auth/login',
          refreshPath,
          revokePath: '/api/v1/auth/revoke',
        },
        options: { authorizationMethod },
      });

    let accessToken: AccessToken;

    it('signs in with the password grant', async () => {
      accessToken = await client().getToken({
        username: testUser.user.username,
        password: testUser.password,
        scope: 'profile',
      });

      expect(accessToken.token).toMatchObject({
        access_token: expect.any(String),
        token_type: 'bearer',
        refresh_token: expect.any(String),
      });
      expect(accessToken.expired()).toBe(false);
      const me = await testApp
        .http()
        .get('/api/v1/users/me')
        .set(bearer(String(accessToken.token.access_token)));
      expect(me.status).toBe(200);
    });

    it('refreshes with the refresh grant, and the new access token works', async () => {
      const refreshed = await accessToken.refresh();

      expect(refreshed.token.refresh_token).not.toBe(accessToken.token.refresh_token);
      const me = await testApp
        .http()
        .get('/api/v1/users/me')
        .set(bearer(String(refreshed.token.access_token)));
      expect(me.status).toBe(200);
      accessToken = refreshed;
    });

    it('revokes both tokens, after which a refresh fails with invalid_grant', async () => {
      await accessToken.revokeAll();

      const failure = await accessToken.refresh().catch((error: unknown) => error);

      expect((failure as BoomLike).output?.statusCode).toBe(401);
      expect(errorPayload(failure)).toMatchObject({ error: 'invalid_grant' });
    });
  });

  it('reports a wrong password as invalid_grant', async () => {
    const client = new ResourceOwnerPassword({
      client: { id: 'my-app', secret: '' },
      auth: { tokenHost, tokenPath: '/api/v1/auth/login' },
    });

    const failure = await client
      .getToken({ username: testUser.user.username, password: 'not-the-password' })
      .catch((error: unknown) => error);

    expect((failure as BoomLike).output?.statusCode).toBe(401);
    expect(errorPayload(failure)).toMatchObject({
      error: 'invalid_grant',
      error_description: 'Incorrect username or password',
    });
  });
});
