import jwt from 'jsonwebtoken';
import { AuthController } from '../src/auth/auth.controller';
import { User } from '../src/users/user.entity';
import {
  createTestApp,
  TEST_JWT_AUDIENCE,
  TEST_JWT_ISSUER,
  TEST_JWT_SECRET,
  type TestApp,
} from './support/create-test-app';
import { createUser, uniqueName, type TestUser } from './support/factories/user.factory';

const REGISTER = '/api/v1/auth/register';
const LOGIN = '/api/v1/auth/login';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

// Strong enough for the password policy, so only the byte-length rule is under test.
const STRONG_72_ASCII = 'Vq8#nL2x!Rt7@pZk4$Wm9%Hc3^Jd6&Yb1*Fs5(Gu0)Ne8-Ko2+Ai7=Xl4?Ty9~Pw3<Er6>Q1';
const STRONG_72_TWO_BYTE = 'αβγδεζηθικλμνξοπρστυφχψωабвгдежзийкл';

describe(AuthController.name, () => {
  let testApp: TestApp;

  beforeAll(async () => {
    // This file registers many accounts from one address; the per-address limit has its own test.
    testApp = await createTestApp({ AUTH_RATE_LIMIT: '1000' });
  });

  afterAll(async () => {
    await testApp.close();
  });

  /** A valid registration body with unique email and username. */
  function registration(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const username = uniqueName('reg');
    return {
      email: `${username}@example.com`,
      username,
      password: 'correct horse battery staple',
      fullName: 'Ada Lovelace',
      ...overrides,
    };
  }

  async function countUsersWithEmail(email: string): Promise<number> {
    return testApp.dataSource
      .getRepository(User)
      .createQueryBuilder('user')
      .where('lower(user.email) = :email', { email: email.toLowerCase() })
      .getCount();
  }

  describe('POST /auth/register', () => {
    it('returns 201 with the user in the public shape: active, roles ["user"], no hash', async () => {
      const body = registration();

      const response = await testApp.http().post(REGISTER).send(body);

      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(UUID),
        email: body.email,
        username: body.username,
        fullName: 'Ada Lovelace',
        isActive: true,
        emailVerified: false,
        mfaEnabled: false,
        roles: ['user'],
        createdAt: expect.stringMatching(ISO_TIME),
        updatedAt: expect.stringMatching(ISO_TIME),
      });
      expect(JSON.stringify(response.body)).not.toMatch(/hash|\$2[aby]\$/i);
    });

    it('stores a bcrypt hash, never the password', async () => {
      const body = registration();

      const response = await testApp.http().post(REGISTER).send(body);

      const stored = await testApp.dataSource
        .getRepository(User)
        .findOneByOrFail({ id: (response.body as { id: string }).id });
      expect(stored.passwordHash).toMatch(/^\$2[aby]\$04\$/);
      expect(stored.passwordHash).not.toContain(body.password);
    });

    it('returns 201 with fullName null when it is left out', async () => {
      const { fullName: _omitted, ...body } = registration();

      const response = await testApp.http().post(REGISTER).send(body);

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ fullName: null });
    });

    it.each([
      ['username of 3 characters', { username: `a${uniqueName('').slice(-2)}` }],
      ['username of 32 characters', { username: uniqueName('u').padEnd(32, '_.-') }],
      ['password of 8 bytes', { password: 'k7#Qm2!x' }],
      ['password of 72 bytes', { password: STRONG_72_ASCII }],
      ['password of 72 bytes in 36 two-byte characters', { password: STRONG_72_TWO_BYTE }],
      ['fullName of 100 characters', { fullName: 'F'.repeat(100) }],
    ])('accepts a %s', async (_case, overrides) => {
      const response = await testApp.http().post(REGISTER).send(registration(overrides));

      expect(response.status).toBe(201);
    });

    it('accepts an email of 254 characters', async () => {
      const local = uniqueName('e').padEnd(64, 'x');
      const email = `${local}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;
      expect(email).toHaveLength(254);

      const response = await testApp.http().post(REGISTER).send(registration({ email }));

      expect(response.status).toBe(201);
    });

    const longEmail = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.com`;
    it.each<[string, Record<string, unknown>]>([
      ['an email of 255 characters', { email: longEmail }],
      ['an email that is not an email', { email: 'notemail' }],
      ['an email without a domain', { email: 'ada@' }],
      ['an empty email', { email: '' }],
      ['a missing email', { email: undefined }],
      ['a username of 2 characters', { username: 'ab' }],
      ['a username of 33 characters', { username: 'a'.repeat(33) }],
      ['a username with a space', { username: 'ada lovelace' }],
      ['a username with "@"', { username: 'ada@home' }],
      ['a username with a non-ASCII letter', { username: 'adé' }],
      ['a missing username', { username: undefined }],
      ['a password of 7 bytes', { password: '1234567' }],
      ['a password of 73 bytes', { password: 'p'.repeat(73) }],
      ['a password of 74 bytes in 37 two-byte characters', { password: 'é'.repeat(37) }],
      [
        'a password of 73 bytes ending in a multibyte character',
        { password: `${'p'.repeat(71)}é` },
      ],
      ['a missing password', { password: undefined }],
      ['a fullName of 101 characters', { fullName: 'F'.repeat(101) }],
      ['a number as email', { email: 12345 }],
      ['a number as username', { username: 12345 }],
      ['a number as password', { password: 12345678 }],
      ['a number as fullName', { fullName: 42 }],
      ['an array as username', { username: ['ada', 'bob'] }],
      ['an object as password', { password: { value: 'correct horse battery' } }],
      ['null as email', { email: null }],
      ['an unknown field', { nickname: 'ada' }],
      ['isActive', { isActive: false }],
      ['roles', { roles: ['admin'] }],
      ['id', { id: '3f1c2b5e-8a0d-4c6e-9f5b-2d7e1a9c4b10' }],
      ['passwordHash', { passwordHash: '$2b$04$abcdefghijklmnopqrstuu' }],
    ])('returns 400 for %s and stores nothing', async (_case, overrides) => {
      const body = registration(overrides);

      const response = await testApp.http().post(REGISTER).send(body);

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(response.body).toHaveProperty('message');
      if (typeof body.email === 'string') {
        expect(await countUsersWithEmail(body.email)).toBe(0);
      }
    });

    it('names every invalid field in the 400 message', async () => {
      const response = await testApp
        .http()
        .post(REGISTER)
        .send({ email: 'notemail', username: 'a', password: 'short', roles: ['admin'] });

      expect(response.status).toBe(400);
      const message = (response.body as { message: string[] }).message.join('\n');
      expect(message).toMatch(/email/);
      expect(message).toMatch(/username/);
      expect(message).toMatch(/password/);
      expect(message).toMatch(/roles/);
    });

    it('returns 400 for a JSON array body', async () => {
      const response = await testApp.http().post(REGISTER).send([registration()]);

      expect(response.status).toBe(400);
    });

    it('returns 409 when the email is taken, compared case-insensitively', async () => {
      const first = registration();
      await testApp.http().post(REGISTER).send(first).expect(201);

      const response = await testApp
        .http()
        .post(REGISTER)
        .send(registration({ email: (first.email as string).toUpperCase() }));

      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
      expect(await countUsersWithEmail(first.email as string)).toBe(1);
    });

    it('returns 409 when the username is taken, compared case-insensitively', async () => {
      const first = registration();
      await testApp.http().post(REGISTER).send(first).expect(201);

      const response = await testApp
        .http()
        .post(REGISTER)
        .send(registration({ username: (first.username as string).toUpperCase() }));

      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
    });

    it('gives one 201 and nineteen 409s to 20 simultaneous registrations of one email', async () => {
      const email = `${uniqueName('race')}@example.com`;

      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          testApp.http().post(REGISTER).send(registration({ email })),
        ),
      );

      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([201, ...Array<number>(19).fill(409)]);
      expect(await countUsersWithEmail(email)).toBe(1);
    });
  });

  describe('POST /auth/login', () => {
    let testUser: TestUser;

    beforeAll(async () => {
      testUser = await createUser(testApp.dataSource, {
        username: uniqueName('Login'),
        fullName: 'Grace Hopper',
      });
    });

    function decodeAccessToken(token: string): jwt.JwtPayload {
      return jwt.verify(token, TEST_JWT_SECRET, {
        algorithms: ['HS256'],
        issuer: TEST_JWT_ISSUER,
        audience: TEST_JWT_AUDIENCE,
      }) as jwt.JwtPayload;
    }

    it('returns tokens whose claims decode to the user for the OAuth2 password form', async () => {
      const before = Math.floor(Date.now() / 1000);

      const response = await testApp
        .http()
        .post(LOGIN)
        .type('form')
        .send({ username: testUser.user.email, password: testUser.password });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        access_token: expect.any(String),
        token_type: 'bearer',
        expires_in: 900,
        refresh_token: expect.any(String),
        refresh_expires_in: expect.any(Number),
      });
      const body = response.body as { access_token: string; refresh_expires_in: number };
      expect(body.refresh_expires_in).toBeGreaterThan(7 * 86400 - 60);
      expect(body.refresh_expires_in).toBeLessThanOrEqual(7 * 86400);
      const header = JSON.parse(
        Buffer.from(body.access_token.split('.')[0], 'base64url').toString(),
      ) as Record<string, unknown>;
      expect(header).toMatchObject({ alg: 'HS256', typ: 'JWT' });
      const claims = decodeAccessToken(body.access_token);
      expect(claims).toEqual({
        sub: testUser.user.id,
        username: testUser.user.username,
        sid: expect.stringMatching(UUID),
        jti: expect.stringMatching(UUID),
        iat: expect.any(Number),
        exp: expect.any(Number),
        iss: TEST_JWT_ISSUER,
        aud: TEST_JWT_AUDIENCE,
        amr: ['pwd'],
      });
      expect(claims.iat).toBeGreaterThanOrEqual(before);
      expect(claims.exp).toBe((claims.iat as number) + 900);
    });

    it('gives every login its own session and token id', async () => {
      const send = () =>
        testApp
          .http()
          .post(LOGIN)
          .type('form')
          .send({ username: testUser.user.username, password: testUser.password });

      const [first, second] = [await send(), await send()];

      const a = decodeAccessToken((first.body as { access_token: string }).access_token);
      const b = decodeAccessToken((second.body as { access_token: string }).access_token);
      expect(a.sid).not.toBe(b.sid);
      expect(a.jti).not.toBe(b.jti);
    });

    it('sends Cache-Control: no-store with the tokens', async () => {
      const response = await testApp
        .http()
        .post(LOGIN)
        .type('form')
        .send({ username: testUser.user.username, password: testUser.password });

      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['content-type']).toMatch(/^application\/json/);
    });

    it.each([
      ['form', 'email', 'form'],
      ['form', 'upper-case email', 'form'],
      ['form', 'username', 'form'],
      ['form', 'upper-case username', 'form'],
      ['JSON', 'email', 'json'],
      ['JSON', 'upper-case email', 'json'],
      ['JSON', 'username', 'json'],
      ['JSON', 'lower-case username', 'json'],
    ] as const)('signs in with the %s by %s', async (_body, by, type) => {
      const login = {
        email: testUser.user.email,
        'upper-case email': testUser.user.email.toUpperCase(),
        username: testUser.user.username,
        'upper-case username': testUser.user.username.toUpperCase(),
        'lower-case username': testUser.user.username.toLowerCase(),
      }[by];

      const response = await testApp
        .http()
        .post(LOGIN)
        .type(type)
        .send({ username: login, password: testUser.password });

      expect(response.status).toBe(200);
      expect(decodeAccessToken((response.body as { access_token: string }).access_token).sub).toBe(
        testUser.user.id,
      );
    });

    it('accepts grant_type=password with the scope, client_id and client_secret Swagger UI sends', async () => {
      const response = await testApp.http().post(LOGIN).type('form').send({
        grant_type: 'password',
        username: testUser.user.username,
        password: testUser.password,
        scope: '',
        client_id: 'swagger',
        client_secret: '',
      });

      expect(response.status).toBe(200);
    });

    it.each(['client_credentials', 'authorization_code', 'implicit', ''])(
      'returns 400 unsupported_grant_type for grant_type=%j',
      async (grantType) => {
        const response = await testApp.http().post(LOGIN).type('form').send({
          grant_type: grantType,
          username: testUser.user.username,
          password: testUser.password,
        });

        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ statusCode: 400, error: 'unsupported_grant_type' });
        expect(response.body).not.toHaveProperty('access_token');
      },
    );

    it('returns 400 invalid_request for grant_type=refresh_token without a refresh_token', async () => {
      const response = await testApp.http().post(LOGIN).type('form').send({
        grant_type: 'refresh_token',
        username: testUser.user.username,
        password: testUser.password,
      });

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'invalid_request' });
    });

    it('ignores an Authorization: Basic header (Swagger UI sends client credentials)', async () => {
      const response = await testApp
        .http()
        .post(LOGIN)
        .type('form')
        .set('Authorization', `Basic ${Buffer.from('swagger:').toString('base64')}`)
        .send({ username: testUser.user.username, password: testUser.password });

      expect(response.status).toBe(200);
    });

    it('does not take the user from an Authorization: Basic header', async () => {
      const basic = Buffer.from(`${testUser.user.username}:${testUser.password}`).toString(
        'base64',
      );

      const response = await testApp
        .http()
        .post(LOGIN)
        .type('form')
        .set('Authorization', `Basic ${basic}`)
        .send({});

      expect(response.status).toBe(401);
      expect(response.body).not.toHaveProperty('access_token');
    });

    it('ignores credentials in the query string (401)', async () => {
      const query = new URLSearchParams({
        username: testUser.user.username,
        password: testUser.password,
      });

      const response = await testApp.http().post(`${LOGIN}?${query.toString()}`).type('form');

      expect(response.status).toBe(401);
      expect(response.body).not.toHaveProperty('access_token');
    });

    it('ignores a password in the query string when the body has only the username', async () => {
      const query = new URLSearchParams({ password: testUser.password });

      const response = await testApp
        .http()
        .post(`${LOGIN}?${query.toString()}`)
        .type('form')
        .send({ username: testUser.user.username });

      expect(response.status).toBe(401);
    });

    // The cases of the seed's test_user_with_wrong_creds_doesnt_receive_token.
    it.each<[string, Record<string, string>]>([
      ['a wrong email', { username: 'wrong@email.com' }],
      ['a missing email', { username: '' }],
      ['"notemail"', { username: 'notemail' }],
      ['a wrong password', { password: 'wrongpassword' }],
      ['a missing password', { password: '' }],
    ])('returns 401 and no token for %s', async (_case, change) => {
      const form: Record<string, string> = {
        username: testUser.user.email,
        password: testUser.password,
        ...change,
      };
      for (const [key, value] of Object.entries(form)) {
        if (value === '') {
          delete form[key];
        }
      }

      const response = await testApp.http().post(LOGIN).type('form').send(form);

      expect(response.status).toBe(401);
      expect(response.body).not.toHaveProperty('access_token');
      expect(response.headers['www-authenticate']).toBe('Bearer');
    });

    it('answers an unknown user and a wrong password with the same 401 body', async () => {
      const unknown = await testApp
        .http()
        .post(LOGIN)
        .type('form')
        .send({ username: 'nobody@example.com', password: testUser.password });
      const wrong = await testApp
        .http()
        .post(LOGIN)
        .type('form')
        .send({ username: testUser.user.email, password: 'wrongpassword' });

      expect(unknown.status).toBe(401);
      expect(wrong.body).toEqual(unknown.body);
      expect(unknown.body).toEqual({
        statusCode: 401,
        message: 'Incorrect username or password',
        error: 'invalid_grant',
        error_description: 'Incorrect username or password',
      });
    });

    it('returns 401 with WWW-Authenticate: Bearer for an empty body', async () => {
      const response = await testApp.http().post(LOGIN);

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
    });

    it('returns 401 for a JSON body with a wrong password', async () => {
      const response = await testApp
        .http()
        .post(LOGIN)
        .send({ username: testUser.user.username, password: 'wrongpassword' });

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
    });

    it('does not match another account by a LIKE pattern', async () => {
      const response = await testApp
        .http()
        .post(LOGIN)
        .send({ username: '%', password: testUser.password });

      expect(response.status).toBe(401);
    });

    it.each<[string, Record<string, unknown>]>([
      ['a number as username', { username: 12345, password: 'wrongpassword' }],
      ['an object as password', { username: 'ada', password: { $ne: '' } }],
      ['an array as password', { username: 'ada', password: ['a', 'b'] }],
      ['an unknown field', { username: 'ada', password: 'wrongpassword', admin: 'true' }],
    ])('returns 400 for a JSON body with %s', async (_case, body) => {
      const response = await testApp.http().post(LOGIN).send(body);

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'invalid_request' });
    });

    it('returns 400 for a JSON array body', async () => {
      const response = await testApp
        .http()
        .post(LOGIN)
        .send([{ username: testUser.user.username, password: testUser.password }]);

      expect(response.status).toBe(400);
      expect(response.body).not.toHaveProperty('access_token');
    });

    it('returns 400 for a form that repeats the password', async () => {
      const response = await testApp
        .http()
        .post(LOGIN)
        .type('form')
        .send(`username=${testUser.user.username}&password=a&password=b`);

      expect(response.status).toBe(400);
    });

    it('returns 403 to a disabled user with the correct password', async () => {
      const disabled = await createUser(testApp.dataSource, { isActive: false });

      const response = await testApp
        .http()
        .post(LOGIN)
        .type('form')
        .send({ username: disabled.user.username, password: disabled.password });

      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ statusCode: 403, error: 'invalid_grant' });
      expect(response.body).not.toHaveProperty('access_token');
    });

    it('returns 403 once an active user is disabled in the database', async () => {
      const user = await createUser(testApp.dataSource);
      await testApp.dataSource
        .getRepository(User)
        .update({ id: user.user.id }, { isActive: false });

      const response = await testApp
        .http()
        .post(LOGIN)
        .send({ username: user.user.email, password: user.password });

      expect(response.status).toBe(403);
    });

    it('returns 401, not 403, to a disabled user with a wrong password', async () => {
      const disabled = await createUser(testApp.dataSource, { isActive: false });

      const response = await testApp
        .http()
        .post(LOGIN)
        .type('form')
        .send({ username: disabled.user.username, password: 'wrongpassword' });

      expect(response.status).toBe(401);
    });

    it('signs in a user registered through the API', async () => {
      const body = registration();
      await testApp.http().post(REGISTER).send(body).expect(201);

      const response = await testApp
        .http()
        .post(LOGIN)
        .type('form')
        .send({ username: body.email, password: body.password });

      expect(response.status).toBe(200);
      expect(
        decodeAccessToken((response.body as { access_token: string }).access_token),
      ).toMatchObject({
        username: body.username,
      });
    });

    it('signs in by an email with a non-ASCII letter, as registered and with ASCII case changed', async () => {
      const username = uniqueName('intl');
      const email = `Élodie.${username}@example.com`;
      await testApp.http().post(REGISTER).send(registration({ email, username })).expect(201);

      const exact = await testApp
        .http()
        .post(LOGIN)
        .send({ username: email, password: 'correct horse battery staple' });
      const asciiUpper = await testApp
        .http()
        .post(LOGIN)
        .send({ username: email.toUpperCase(), password: 'correct horse battery staple' });

      expect(exact.status).toBe(200);
      expect(asciiUpper.status).toBe(200);
    });

    it('signs in with a 72-byte multibyte password', async () => {
      const password = STRONG_72_TWO_BYTE;
      const body = registration({ password });
      await testApp.http().post(REGISTER).send(body).expect(201);

      const right = await testApp.http().post(LOGIN).send({ username: body.username, password });
      const prefix = await testApp
        .http()
        .post(LOGIN)
        .send({ username: body.username, password: 'é'.repeat(35) });

      expect(right.status).toBe(200);
      expect(prefix.status).toBe(401);
    });
  });
});
