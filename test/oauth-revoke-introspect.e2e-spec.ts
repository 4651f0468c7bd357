import jwt from 'jsonwebtoken';
import { OAuthTokensController } from '../src/oauth/oauth-tokens.controller';
import { User } from '../src/users/user.entity';
import { bearer, login, type Tokens } from './support/auth-helpers';
import {
  createTestApp,
  TEST_JWT_AUDIENCE,
  TEST_JWT_ISSUER,
  TEST_JWT_SECRET,
  type TestApp,
} from './support/create-test-app';
import { createUser, type TestUser } from './support/factories/user.factory';

const REVOKE = '/api/v1/auth/revoke';
const INTROSPECT = '/api/v1/auth/introspect';
const REFRESH = '/api/v1/auth/refresh';
const ME = '/api/v1/users/me';
const INTROSPECTION_TOKEN = 'introspection-token-for-the-e2e-tests-0123456789';

describe(OAuthTokensController.name, () => {
  let testApp: TestApp;
  let testUser: TestUser;

  beforeAll(async () => {
    testApp = await createTestApp({ INTROSPECTION_TOKEN, AUTH_RATE_LIMIT: '1000' });
    testUser = await createUser(testApp.dataSource);
  });

  afterAll(async () => {
    await testApp.close();
  });

  function introspect(token: string, caller = INTROSPECTION_TOKEN) {
    return testApp.http().post(INTROSPECT).set(bearer(caller)).type('form').send({ token });
  }

  describe('POST /auth/revoke', () => {
    it.each(['form', 'json'] as const)(
      'ends the session of a refresh token sent as the %s, with 200 and an empty body',
      async (encoding) => {
        const tokens = await login(testApp, testUser);

        const response = await testApp
          .http()
          .post(REVOKE)
          .type(encoding)
          .send({ token: tokens.refresh_token, token_type_hint: 'refresh_token' });

        expect(response.status).toBe(200);
        expect(response.text).toBe('');
        expect((await testApp.http().get(ME).set(bearer(tokens.access_token))).status).toBe(401);
        const refresh = await testApp
          .http()
          .post(REFRESH)
          .send({ refresh_token: tokens.refresh_token });
        expect(refresh.status).toBe(401);
      },
    );

    it('ends the session of an access token, whatever the hint says', async () => {
      const tokens = await login(testApp, testUser);

      const response = await testApp
        .http()
        .post(REVOKE)
        .send({ token: tokens.access_token, token_type_hint: 'refresh_token' });

      expect(response.status).toBe(200);
      expect((await testApp.http().get(ME).set(bearer(tokens.access_token))).status).toBe(401);
      const refresh = await testApp
        .http()
        .post(REFRESH)
        .send({ refresh_token: tokens.refresh_token });
      expect(refresh.status).toBe(401);
    });

    it('ends the session of a refresh token that was already spent', async () => {
      const first = await login(testApp, testUser);
      const second = (
        await testApp.http().post(REFRESH).send({ refresh_token: first.refresh_token }).expect(200)
      ).body as Tokens;

      await testApp.http().post(REVOKE).send({ token: first.refresh_token }).expect(200);

      expect((await testApp.http().get(ME).set(bearer(second.access_token))).status).toBe(401);
    });

    it('leaves other sessions alone', async () => {
      const revoked = await login(testApp, testUser);
      const kept = await login(testApp, testUser);

      await testApp.http().post(REVOKE).send({ token: revoked.refresh_token }).expect(200);

      expect((await testApp.http().get(ME).set(bearer(kept.access_token))).status).toBe(200);
    });

    it.each([
      ['garbage', 'not-a-token'],
      ['an unknown hint', 'x'],
      [
        'a JWT signed with another key',
        jwt.sign({ sub: 'x' }, 'another-secret-of-at-least-32-bytes!!'),
      ],
    ])('answers 200 with an empty body for %s', async (_case, token) => {
      const response = await testApp
        .http()
        .post(REVOKE)
        .send({ token, token_type_hint: 'something_else' });

      expect(response.status).toBe(200);
      expect(response.text).toBe('');
    });

    it('answers 200 for a token whose session was already ended', async () => {
      const tokens = await login(testApp, testUser);
      await testApp.http().post('/api/v1/auth/logout').set(bearer(tokens.access_token)).expect(204);

      const response = await testApp.http().post(REVOKE).send({ token: tokens.access_token });

      expect(response.status).toBe(200);
    });

    it.each<[string, Record<string, unknown>]>([
      ['no token', {}],
      ['a number as token', { token: 5 }],
      ['an unknown field', { token: 'x', reason: 'lost phone' }],
    ])('answers %s with 400 invalid_request', async (_case, body) => {
      const response = await testApp.http().post(REVOKE).send(body);

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'invalid_request' });
    });

    it('needs no access token', async () => {
      const tokens = await login(testApp, testUser);

      const response = await testApp
        .http()
        .post(REVOKE)
        .set('Authorization', 'Bearer garbage')
        .send({ token: tokens.refresh_token });

      expect(response.status).toBe(200);
    });
  });

  describe('POST /auth/introspect', () => {
    it('describes a live access token', async () => {
      const tokens = await login(testApp, testUser);
      const claims = jwt.decode(tokens.access_token) as Record<string, unknown>;

      const response = await introspect(tokens.access_token);

      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toEqual({
        active: true,
        sub: testUser.user.id,
        username: testUser.user.username,
        sid: claims.sid,
        exp: claims.exp,
        iat: claims.iat,
        iss: TEST_JWT_ISSUER,
        aud: TEST_JWT_AUDIENCE,
        token_type: 'access_token',
      });
    });

    it('takes JSON too', async () => {
      const tokens = await login(testApp, testUser);

      const response = await testApp
        .http()
        .post(INTROSPECT)
        .set(bearer(INTROSPECTION_TOKEN))
        .send({ token: tokens.access_token, token_type_hint: 'access_token' });

      expect(response.body).toMatchObject({ active: true });
    });

    it('answers {active: false} once the session is logged out', async () => {
      const tokens = await login(testApp, testUser);
      await testApp.http().post('/api/v1/auth/logout').set(bearer(tokens.access_token)).expect(204);

      const response = await introspect(tokens.access_token);

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ active: false });
    });

    it('answers {active: false} once the user is disabled', async () => {
      const user = await createUser(testApp.dataSource);
      const tokens = await login(testApp, user);
      await testApp.dataSource
        .getRepository(User)
        .update({ id: user.user.id }, { isActive: false });

      expect((await introspect(tokens.access_token)).body).toEqual({ active: false });
    });

    it.each<[string, (tokens: Tokens) => string]>([
      ['a refresh token', (tokens) => tokens.refresh_token],
      ['garbage', () => 'garbage'],
      [
        'an expired access token',
        (tokens) => {
          const claims = jwt.decode(tokens.access_token) as Record<string, unknown>;
          return jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }, TEST_JWT_SECRET);
        },
      ],
      [
        'a token for another audience',
        (tokens) => {
          const { aud: _aud, ...claims } = jwt.decode(tokens.access_token) as Record<
            string,
            unknown
          >;
          return jwt.sign({ ...claims, aud: 'someone-else' }, TEST_JWT_SECRET);
        },
      ],
    ])('answers {active: false} for %s', async (_case, tokenOf) => {
      const tokens = await login(testApp, testUser);

      const response = await introspect(tokenOf(tokens));

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ active: false });
    });

    it.each<[string, Record<string, string>]>([
      ['no Authorization header', {}],
      ['a wrong introspection token', bearer('wrong-token')],
      ['a user access token', {}],
      [
        'Basic credentials',
        { Authorization: `Basic ${Buffer.from(`x:${INTROSPECTION_TOKEN}`).toString('base64')}` },
      ],
    ])('answers 401 to a caller with %s', async (caseName, headers) => {
      const tokens = await login(testApp, testUser);
      const callerHeaders =
        caseName === 'a user access token' ? bearer(tokens.access_token) : headers;

      const response = await testApp
        .http()
        .post(INTROSPECT)
        .set(callerHeaders)
        .send({ token: tokens.access_token });

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(response.body).not.toHaveProperty('active');
    });

    it('answers 400 when the token is missing', async () => {
      const response = await testApp
        .http()
        .post(INTROSPECT)
        .set(bearer(INTROSPECTION_TOKEN))
        .send({});

      expect(response.status).toBe(400);
    });

    it('answers 404 when INTROSPECTION_TOKEN is unset, whoever asks', async () => {
      const plain = await createTestApp();
      try {
        const tokens = await login(plain, await createUser(plain.dataSource));

        const anonymous = await plain.http().post(INTROSPECT).send({ token: tokens.access_token });
        const withToken = await plain
          .http()
          .post(INTROSPECT)
          .set(bearer(INTROSPECTION_TOKEN))
          .send({ token: tokens.access_token });

        expect(anonymous.status).toBe(404);
        expect(withToken.status).toBe(404);
        expect(withToken.body).not.toHaveProperty('active');
      } finally {
        await plain.close();
      }
    });
  });
});
