import jwt from 'jsonwebtoken';
import { createHmac, randomUUID } from 'node:crypto';
import { JwtStrategy } from '../src/auth/strategies/jwt.strategy';
import { Session } from '../src/sessions/session.entity';
import { User } from '../src/users/user.entity';
import { bearer, login } from './support/auth-helpers';
import {
  createTestApp,
  TEST_JWT_AUDIENCE,
  TEST_JWT_ISSUER,
  TEST_JWT_SECRET,
  type TestApp,
} from './support/create-test-app';
import { createUser, type TestUser } from './support/factories/user.factory';

const ME = '/api/v1/users/me';
const INVALID_TOKEN = 'Bearer error="invalid_token"';

type Claims = Record<string, unknown>;

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** HS256 over any payload, for claims jsonwebtoken refuses to sign (such as a string exp). */
function signRaw(payload: unknown): string {
  const unsigned = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(payload)}`;
  const signature = createHmac('sha256', TEST_JWT_SECRET).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

describe(JwtStrategy.name, () => {
  let testApp: TestApp;
  let testUser: TestUser;
  let accessToken: string;
  /** The claims of `accessToken`, as the server wrote them. */
  let issued: Claims;

  beforeAll(async () => {
    testApp = await createTestApp();
    testUser = await createUser(testApp.dataSource);
    accessToken = (await login(testApp, testUser)).access_token;
    issued = jwt.decode(accessToken) as Claims;
  });

  afterAll(async () => {
    await testApp.close();
  });

  /** Claims as the server writes them, for the signed-in user's live session. */
  function claims(overrides: Claims = {}): Claims {
    const now = Math.floor(Date.now() / 1000);
    return {
      sub: testUser.user.id,
      username: testUser.user.username,
      sid: issued.sid,
      jti: randomUUID(),
      iat: now,
      exp: now + 900,
      iss: TEST_JWT_ISSUER,
      aud: TEST_JWT_AUDIENCE,
      ...overrides,
    };
  }

  /** Signs with the test's key, HS256 unless told otherwise; undefined claims are left out. */
  function forge(payload: Claims, options: jwt.SignOptions = {}): string {
    const defined = Object.fromEntries(
      Object.entries(payload).filter(([, value]) => value !== undefined),
    );
    return jwt.sign(defined, TEST_JWT_SECRET, { algorithm: 'HS256', ...options });
  }

  async function me(authorization?: string) {
    const call = testApp.http().get(ME);
    return authorization === undefined ? call : call.set('Authorization', authorization);
  }

  describe('GET /users/me with a valid token', () => {
    it('returns the user the token names', async () => {
      const response = await me(`Bearer ${accessToken}`);

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        id: testUser.user.id,
        email: testUser.user.email,
        username: testUser.user.username,
      });
    });

    it('accepts a token forged here with the server claims, so the refusals below are real', async () => {
      const response = await me(`Bearer ${forge(claims())}`);

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: testUser.user.id });
    });

    it('accepts a token signed here by hand, so the hand-signed refusals below are real', async () => {
      const response = await me(`Bearer ${signRaw(claims())}`);

      expect(response.status).toBe(200);
    });

    it.each(['bearer', 'BEARER', 'BeArEr'])('accepts the scheme written %s', async (scheme) => {
      const response = await me(`${scheme} ${accessToken}`);

      expect(response.status).toBe(200);
    });
  });

  describe('the Authorization header', () => {
    it('returns 401 with WWW-Authenticate: Bearer and no error without a header', async () => {
      const response = await me();

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    });

    // The seed's test_user_cannot_access_own_data_with_incorrect_jwt_prefix.
    it.each(['', 'value', 'Token', 'JWT', 'Swearer'])(
      'returns 401 for the prefix %j before a valid token',
      async (prefix) => {
        const response = await me(`${prefix} ${accessToken}`);

        expect(response.status).toBe(401);
        expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      },
    );

    it.each([
      ['two spaces after the scheme', () => `Bearer  ${accessToken}`],
      ['a tab after the scheme', () => `Bearer\t${accessToken}`],
      ['trailing text after the token', () => `Bearer ${accessToken} extra`],
      ['two tokens', () => `Bearer ${accessToken} ${accessToken}`],
      ['no space after the scheme', () => `Bearer${accessToken}`],
      ['the scheme alone', () => 'Bearer'],
      ['a token with a character outside b64token', () => `Bearer ${accessToken}!`],
      ['a Basic scheme', () => `Basic ${Buffer.from('a:b').toString('base64')}`],
    ])('returns 401 for %s', async (_case, header) => {
      const response = await me(header());

      expect(response.status).toBe(401);
    });

    it('does not read a token from the query string', async () => {
      const response = await testApp.http().get(`${ME}?access_token=${accessToken}`);

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
    });
  });

  describe('refused tokens', () => {
    // The seed's test_error_when_token_or_secret_is_wrong, through the API.
    it.each<[string, () => string]>([
      ['garbage', () => 'asdf'],
      ['three garbage segments', () => 'a.b.c'],
      ['a token signed with another secret', () => jwt.sign(claims(), 'ABC123')],
      [
        'a token signed with another 32-byte secret',
        () => jwt.sign(claims(), 'another-secret-with-at-least-32-bytes-of-key'),
      ],
      ['alg none', () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims())}.`],
      [
        'alg none with the original signature kept',
        () =>
          `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims())}.${accessToken.split('.')[2]}`,
      ],
      ['HS512 with the right key', () => forge(claims(), { algorithm: 'HS512' })],
      ['HS384 with the right key', () => forge(claims(), { algorithm: 'HS384' })],
      [
        'an expired token',
        () =>
          forge(
            claims({
              iat: Math.floor(Date.now() / 1000) - 1000,
              exp: Math.floor(Date.now() / 1000) - 10,
            }),
          ),
      ],
      ['a token without exp', () => forge(claims({ exp: undefined }))],
      [
        'a token with exp as a string',
        () => signRaw(claims({ exp: String(Math.floor(Date.now() / 1000) + 900) })),
      ],
      [
        'a token whose nbf is ahead',
        () => forge(claims({ nbf: Math.floor(Date.now() / 1000) + 600 })),
      ],
      ['a wrong iss', () => forge(claims({ iss: 'someone-else' }))],
      ['no iss', () => forge(claims({ iss: undefined }))],
      ['a wrong aud', () => forge(claims({ aud: 'another-api' }))],
      ['no aud', () => forge(claims({ aud: undefined }))],
      ['an unknown sub', () => forge(claims({ sub: randomUUID() }))],
      ['a sub that is not a UUID', () => forge(claims({ sub: 'not-a-uuid' }))],
      ['a sub that is SQL', () => forge(claims({ sub: "' OR '1'='1" }))],
      ['no sub', () => forge(claims({ sub: undefined }))],
      ['an unknown sid', () => forge(claims({ sid: randomUUID() }))],
      ['a sid that is not a UUID', () => forge(claims({ sid: 'session-1' }))],
      ['no sid', () => forge(claims({ sid: undefined }))],
      ['no jti', () => forge(claims({ jti: undefined }))],
      ['a correctly signed payload that is a JSON array', () => signRaw([claims()])],
      ['a correctly signed payload with sub as a number', () => signRaw(claims({ sub: 1 }))],
      ['a correctly signed payload that is a string', () => signRaw('hello')],
      [
        'a swapped payload: header and signature of one token, payload of another',
        () => {
          const other = forge(claims({ sub: randomUUID(), username: 'mallory' }));
          const [header, , signature] = accessToken.split('.');
          return `${header}.${other.split('.')[1]}.${signature}`;
        },
      ],
      [
        'the payload edited to extend exp, signature kept',
        () => {
          const [header, , signature] = accessToken.split('.');
          const exp = (issued.exp as number) + 86400;
          return `${header}.${base64url({ ...issued, exp })}.${signature}`;
        },
      ],
    ])('returns 401 with error="invalid_token" for %s', async (_case, token) => {
      const response = await me(`Bearer ${token()}`);

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe(INVALID_TOKEN);
      expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      expect(response.body).not.toHaveProperty('id');
    });

    it("returns 401 for another user's sub in a token of this session", async () => {
      const other = await createUser(testApp.dataSource);

      const response = await me(
        `Bearer ${forge(claims({ sub: other.user.id, username: other.user.username }))}`,
      );

      expect(response.status).toBe(401);
    });

    it('returns 401 for a token of a session whose user is then disabled', async () => {
      const victim = await createUser(testApp.dataSource);
      const token = (await login(testApp, victim)).access_token;
      await me(`Bearer ${token}`).then((response) => expect(response.status).toBe(200));

      await testApp.dataSource
        .getRepository(User)
        .update({ id: victim.user.id }, { isActive: false });
      const response = await me(`Bearer ${token}`);

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe(INVALID_TOKEN);
    });

    it('returns 401 for a token whose user was deleted', async () => {
      const victim = await createUser(testApp.dataSource);
      const token = (await login(testApp, victim)).access_token;

      await testApp.dataSource.getRepository(User).delete({ id: victim.user.id });
      const response = await me(`Bearer ${token}`);

      expect(response.status).toBe(401);
    });

    it('returns 401 for a token whose session was revoked in the database', async () => {
      const victim = await createUser(testApp.dataSource);
      const token = (await login(testApp, victim)).access_token;
      const { sid } = jwt.decode(token) as { sid: string };

      await testApp.dataSource
        .getRepository(Session)
        .update({ id: sid }, { revokedAt: new Date() });
      const response = await me(`Bearer ${token}`);

      expect(response.status).toBe(401);
    });

    it('returns 401 for a token whose session has expired', async () => {
      const victim = await createUser(testApp.dataSource);
      const token = (await login(testApp, victim)).access_token;
      const { sid } = jwt.decode(token) as { sid: string };

      await testApp.dataSource
        .getRepository(Session)
        .update({ id: sid }, { expiresAt: new Date(Date.now() - 1000) });
      const response = await me(`Bearer ${token}`);

      expect(response.status).toBe(401);
    });

    it('returns 401 for the refresh token presented as an access token', async () => {
      const tokens = await login(testApp, testUser);

      const response = await me(`Bearer ${tokens.refresh_token}`);

      expect(response.status).toBe(401);
    });

    it('refuses a token the moment it expires, though it was accepted (and remembered) before', async () => {
      const exp = Math.floor(Date.now() / 1000) + 2;
      const token = forge(claims({ exp }));
      const before = await me(`Bearer ${token}`);
      await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50));

      const after = await me(`Bearer ${token}`);

      expect(before.status).toBe(200);
      expect(after.status).toBe(401);
      expect(after.headers['www-authenticate']).toBe(INVALID_TOKEN);
    });

    it('refuses a token differing from an accepted one in one signature character', async () => {
      expect((await me(`Bearer ${accessToken}`)).status).toBe(200);
      const at = accessToken.length - 10;
      const altered = `${accessToken.slice(0, at)}${accessToken[at] === 'A' ? 'B' : 'A'}${accessToken.slice(at + 1)}`;

      const response = await me(`Bearer ${altered}`);

      expect(response.status).toBe(401);
    });

    it('keeps answering the valid token after the refusals', async () => {
      const response = await testApp.http().get(ME).set(bearer(accessToken));

      expect(response.status).toBe(200);
    });
  });
});
