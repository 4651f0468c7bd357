import jwt from 'jsonwebtoken';
import { AuthController } from '../src/auth/auth.controller';
import { Session } from '../src/sessions/session.entity';
import { User } from '../src/users/user.entity';
import { bearer, login, type Tokens } from './support/auth-helpers';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser, type TestUser } from './support/factories/user.factory';

const LOGIN = '/api/v1/auth/login';
const REFRESH = '/api/v1/auth/refresh';
// RFC 6749 §5.2: error_description is printable ASCII without '"' and '\'.
const RFC_6749_DESCRIPTION = /^[\x20\x21\x23-\x5b\x5d-\x7e]+$/;

type Encoding = 'form' | 'json';

function sidOf(accessToken: string): string {
  return (jwt.decode(accessToken) as { sid: string }).sid;
}

describe(`${AuthController.name} as the OAuth 2.0 token endpoint`, () => {
  let testApp: TestApp;
  let testUser: TestUser;

  beforeAll(async () => {
    testApp = await createTestApp({ AUTH_RATE_LIMIT: '1000' });
    testUser = await createUser(testApp.dataSource);
  });

  afterAll(async () => {
    await testApp.close();
  });

  function expectTokens(body: unknown): asserts body is Tokens {
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: 'bearer',
      expires_in: 900,
      refresh_token: expect.any(String),
      refresh_expires_in: expect.any(Number),
    });
  }

  describe('grant_type=password', () => {
    it.each<Encoding>(['form', 'json'])('issues tokens for the %s', async (encoding) => {
      const response = await testApp.http().post(LOGIN).type(encoding).send({
        grant_type: 'password',
        username: testUser.user.username,
        password: testUser.password,
        client_id: 'my-app',
        client_secret: 'ignored',
        scope: 'openid profile',
      });

      expect(response.status).toBe(200);
      expectTokens(response.body);
      expect(response.headers['cache-control']).toBe('no-store');
    });
  });

  describe.each<Encoding>(['form', 'json'])('grant_type=refresh_token as the %s', (encoding) => {
    it.each([LOGIN, REFRESH])('at %s issues a new pair in the same session', async (path) => {
      const first = await login(testApp, testUser);

      const response = await testApp.http().post(path).type(encoding).send({
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token,
        client_id: 'my-app',
        scope: 'openid',
      });

      expect(response.status).toBe(200);
      expectTokens(response.body);
      expect(response.body.refresh_token).not.toBe(first.refresh_token);
      expect(sidOf(response.body.access_token)).toBe(sidOf(first.access_token));
      const me = await testApp
        .http()
        .get('/api/v1/users/me')
        .set(bearer(response.body.access_token));
      expect(me.status).toBe(200);
    });

    it.each([LOGIN, REFRESH])(
      'at %s refuses the spent token with 401 invalid_grant',
      async (path) => {
        const first = await login(testApp, testUser);
        const send = () =>
          testApp
            .http()
            .post(path)
            .type(encoding)
            .send({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
        await send().expect(200);

        const replay = await send();

        expect(replay.status).toBe(401);
        expect(replay.headers['www-authenticate']).toBe('Bearer');
        expect(replay.body).toEqual({
          statusCode: 401,
          message: 'Invalid or expired refresh token',
          error: 'invalid_grant',
          error_description: 'Invalid or expired refresh token',
        });
      },
    );
  });

  it('takes JSON {refresh_token} without grant_type at /auth/refresh', async () => {
    const first = await login(testApp, testUser);

    const response = await testApp
      .http()
      .post(REFRESH)
      .send({ refresh_token: first.refresh_token });

    expect(response.status).toBe(200);
    expect(sidOf((response.body as Tokens).access_token)).toBe(sidOf(first.access_token));
  });

  it.each([LOGIN, REFRESH])(
    'answers 401 invalid_grant at %s for an unknown or an expired refresh token',
    async (path) => {
      const tokens = await login(testApp, testUser);
      await testApp.dataSource
        .getRepository(Session)
        .update({ id: sidOf(tokens.access_token) }, { expiresAt: new Date(Date.now() - 1000) });

      const expired = await testApp
        .http()
        .post(path)
        .type('form')
        .send({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
      const unknown = await testApp
        .http()
        .post(path)
        .type('form')
        .send({ grant_type: 'refresh_token', refresh_token: 'no-such-token' });

      for (const response of [expired, unknown]) {
        expect(response.status).toBe(401);
        expect(response.body).toMatchObject({ statusCode: 401, error: 'invalid_grant' });
        expect(response.headers['www-authenticate']).toBe('Bearer');
      }
    },
  );

  it.each([LOGIN, REFRESH])(
    'answers 401 invalid_grant at %s to a refresh of a disabled account',
    async (path) => {
      const disabled = await createUser(testApp.dataSource);
      const tokens = await login(testApp, disabled);
      await testApp.dataSource
        .getRepository(User)
        .update({ id: disabled.user.id }, { isActive: false });

      const response = await testApp
        .http()
        .post(path)
        .send({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });

      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ statusCode: 401, error: 'invalid_grant' });
    },
  );

  describe('errors', () => {
    it('answers a wrong password with 401 invalid_grant, the message kept, and WWW-Authenticate', async () => {
      const response = await testApp
        .http()
        .post(LOGIN)
        .type('form')
        .send({ grant_type: 'password', username: testUser.user.username, password: 'wrong-one' });

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.body).toEqual({
        statusCode: 401,
        message: 'Incorrect username or password',
        error: 'invalid_grant',
        error_description: 'Incorrect username or password',
      });
    });

    it('answers a disabled account with the right password with 403 invalid_grant', async () => {
      const disabled = await createUser(testApp.dataSource, { isActive: false });

      const response = await testApp
        .http()
        .post(LOGIN)
        .send({ username: disabled.user.username, password: disabled.password });

      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({
        statusCode: 403,
        error: 'invalid_grant',
        error_description: expect.stringMatching(/disabled/),
      });
    });

    it.each<[string, string, Record<string, unknown>]>([
      [LOGIN, 'a number as the password', { username: 'ada', password: 1234 }],
      [LOGIN, 'an unknown field', { username: 'ada', password: 'x', nonce: 'n' }],
      [LOGIN, 'a refresh grant without refresh_token', { grant_type: 'refresh_token' }],
      [LOGIN, 'a refresh grant with a number', { grant_type: 'refresh_token', refresh_token: 7 }],
      [REFRESH, 'no refresh_token', {}],
      [REFRESH, 'a number as refresh_token', { refresh_token: 42 }],
      [REFRESH, 'an unknown field', { refresh_token: 'x', device: 'phone' }],
    ])('answers %s with %s: 400 invalid_request', async (path, _case, body) => {
      const response = await testApp.http().post(path).send(body);

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        statusCode: 400,
        message: expect.anything(),
        error: 'invalid_request',
        error_description: expect.stringMatching(RFC_6749_DESCRIPTION),
      });
    });

    it.each([
      [LOGIN, 'client_credentials'],
      [LOGIN, 'urn:ietf:params:oauth:grant-type:device_code'],
      [REFRESH, 'password'],
      [REFRESH, 'authorization_code'],
    ])('answers %s with grant_type=%s: 400 unsupported_grant_type', async (path, grantType) => {
      const response = await testApp
        .http()
        .post(path)
        .type('form')
        .send(
          path === LOGIN
            ? { grant_type: grantType, username: 'a', password: 'b' }
            : { grant_type: grantType, refresh_token: 'x' },
        );

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        statusCode: 400,
        error: 'unsupported_grant_type',
        error_description: expect.stringMatching(RFC_6749_DESCRIPTION),
      });
    });

    it.each([LOGIN, REFRESH])(
      'answers malformed JSON at %s with 400 invalid_request',
      async (path) => {
        const response = await testApp
          .http()
          .post(path)
          .set('Content-Type', 'application/json')
          .send('{"username": ');

        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ statusCode: 400, error: 'invalid_request' });
      },
    );

    it('answers a body over 100 kB with 413 in Nest shape (no RFC 6749 status)', async () => {
      const response = await testApp
        .http()
        .post(LOGIN)
        .type('form')
        .send({ username: 'a'.repeat(110 * 1024), password: 'x' });

      expect(response.status).toBe(413);
      expect(response.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
    });

    it('leaves the errors of other routes in Nest shape', async () => {
      const response = await testApp.http().post('/api/v1/auth/register').send({ email: 'x' });

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(response.body).not.toHaveProperty('error_description');
    });
  });

  describe('429', () => {
    let limited: TestApp;

    beforeAll(async () => {
      limited = await createTestApp({ AUTH_RATE_LIMIT: '2', LOGIN_MAX_ATTEMPTS: '2' });
    });

    afterAll(async () => {
      await limited.close();
    });

    it('keeps error "Too Many Requests" and Retry-After past the login limit', async () => {
      const user = await createUser(limited.dataSource);
      const attempt = () =>
        limited
          .http()
          .post(LOGIN)
          .type('form')
          .send({ username: user.user.username, password: 'wrong-password' });
      await attempt().expect(401);
      await attempt().expect(401);

      const response = await attempt();

      expect(response.status).toBe(429);
      expect(response.headers['retry-after']).toMatch(/^\d+$/);
      expect(response.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
      expect(response.body).not.toHaveProperty('error_description');
    });

    it('counts the refresh grant at /auth/login toward the refresh limit', async () => {
      const send = (path: string) =>
        limited
          .http()
          .post(path)
          .send({ grant_type: 'refresh_token', refresh_token: 'not-a-token' });

      const statuses = [
        (await send(LOGIN)).status,
        (await send(REFRESH)).status,
        (await send(LOGIN)).status,
        (await send(REFRESH)).status,
      ];

      expect(statuses).toEqual([401, 401, 429, 429]);
    });
  });
});
