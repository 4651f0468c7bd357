import type { Response } from 'supertest';
import { Role } from '../src/users/role.enum';
import { User } from '../src/users/user.entity';
import { bearer, login } from './support/auth-helpers';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser, uniqueName, type TestUser } from './support/factories/user.factory';

const STRONG_PASSWORD = 'lantern orbit pickle';
const NUL_MESSAGE = 'must not contain a NUL character (\\u0000)';
const SURROGATE_MESSAGE = 'must be valid Unicode text (it contains a lone UTF-16 surrogate)';

type Method = 'get' | 'post' | 'patch';

interface RouteCase {
  /** How the case is named in the test title. */
  route: string;
  method: Method;
  path: () => string;
  /** A body the route accepts, to which each case adds or changes one field. */
  body?: () => Record<string, string>;
  auth?: 'user' | 'admin';
}

describe('Unsafe input on every route', () => {
  let testApp: TestApp;
  let member: TestUser;
  let memberToken: string;
  let adminToken: string;
  let postId: string;

  beforeAll(async () => {
    testApp = await createTestApp({ LOGIN_MAX_ATTEMPTS: '1000', AUTH_RATE_LIMIT: '1000' });
    member = await createUser(testApp.dataSource);
    memberToken = (await login(testApp, member)).access_token;
    const admin = await createUser(testApp.dataSource, { roles: [Role.User, Role.Admin] });
    adminToken = (await login(testApp, admin)).access_token;
    const post = await testApp
      .http()
      .post('/api/v1/posts')
      .set(bearer(memberToken))
      .send({ title: 'A title', content: 'Some content' });
    postId = (post.body as { id: string }).id;
  });

  afterAll(async () => {
    await testApp.close();
  });

  const registerBody = (): Record<string, string> => {
    const username = uniqueName();
    return { email: `${username}@example.com`, username, password: STRONG_PASSWORD };
  };

  const ROUTES: RouteCase[] = [
    {
      route: 'POST /auth/register',
      method: 'post',
      path: () => '/auth/register',
      body: registerBody,
    },
    {
      route: 'POST /auth/login',
      method: 'post',
      path: () => '/auth/login',
      body: () => ({ username: member.user.username, password: member.password }),
    },
    {
      route: 'POST /auth/refresh',
      method: 'post',
      path: () => '/auth/refresh',
      body: () => ({ refresh_token: 'not-a-live-token' }),
    },
    {
      route: 'PATCH /users/me',
      method: 'patch',
      path: () => '/users/me',
      body: () => ({ fullName: 'Ada Lovelace' }),
      auth: 'user',
    },
    {
      route: 'POST /users/me/password',
      method: 'post',
      path: () => '/users/me/password',
      body: () => ({ currentPassword: 'not the password', newPassword: STRONG_PASSWORD }),
      auth: 'user',
    },
    {
      route: 'PATCH /users/:id',
      method: 'patch',
      path: () => `/users/${member.user.id}`,
      body: () => ({ fullName: 'Ada Lovelace' }),
      auth: 'admin',
    },
    {
      route: 'POST /posts',
      method: 'post',
      path: () => '/posts',
      body: () => ({ title: 'A title', content: 'Some content' }),
      auth: 'user',
    },
    {
      route: 'PATCH /posts/:id',
      method: 'patch',
      path: () => `/posts/${postId}`,
      body: () => ({ title: 'A new title' }),
      auth: 'user',
    },
  ];

  const QUERY_ROUTES: RouteCase[] = [
    { route: 'GET /posts', method: 'get', path: () => '/posts' },
    { route: 'GET /users', method: 'get', path: () => '/users', auth: 'admin' },
  ];

  function send(
    route: RouteCase,
    body?: Record<string, string> | string,
    form = false,
    query = '',
  ): Promise<Response> {
    let call = testApp.http()[route.method](`/api/v1${route.path()}${query}`);
    if (route.auth) {
      call = call.set(bearer(route.auth === 'admin' ? adminToken : memberToken));
    }
    if (body === undefined) {
      return call;
    }
    if (form) {
      return call.type('form').send(body);
    }
    return typeof body === 'string'
      ? call.set('Content-Type', 'application/json').send(body)
      : call.send(body);
  }

  describe('a NUL character (finding 6)', () => {
    const NUL_FIELDS: [RouteCase['route'], string][] = [
      ['POST /auth/register', 'email'],
      ['POST /auth/register', 'username'],
      ['POST /auth/register', 'password'],
      ['POST /auth/register', 'fullName'],
      ['POST /auth/login', 'username'],
      ['POST /auth/login', 'password'],
      ['POST /auth/refresh', 'refresh_token'],
      ['PATCH /users/me', 'fullName'],
      ['PATCH /users/me', 'username'],
      ['POST /users/me/password', 'currentPassword'],
      ['POST /users/me/password', 'newPassword'],
      ['PATCH /users/:id', 'fullName'],
      ['PATCH /users/:id', 'username'],
      ['POST /posts', 'title'],
      ['POST /posts', 'content'],
      ['PATCH /posts/:id', 'title'],
      ['PATCH /posts/:id', 'content'],
    ];

    // RFC 6749 §5.2: the token endpoints name the error `invalid_request`.
    const TOKEN_ENDPOINTS = new Set([
      'POST /auth/login',
      'POST /auth/refresh',
      'POST /auth/login/mfa',
    ]);

    it.each(NUL_FIELDS)('returns 400 on %s for a NUL in %s, as JSON', async (name, field) => {
      const route = ROUTES.find((candidate) => candidate.route === name)!;
      const body = { ...route.body!(), [field]: 'ab\u0000cd' };

      const response = await send(route, body);

      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        statusCode: 400,
        message: [`${field} ${NUL_MESSAGE}`],
        ...(TOKEN_ENDPOINTS.has(name)
          ? { error: 'invalid_request', error_description: expect.any(String) }
          : { error: 'Bad Request' }),
      });
    });

    it.each([
      ['POST /auth/login', 'username'],
      ['POST /auth/register', 'fullName'],
    ])('returns 400 on %s for a NUL in %s, as a form', async (name, field) => {
      const route = ROUTES.find((candidate) => candidate.route === name)!;

      const response = await send(route, { ...route.body!(), [field]: 'ab\u0000cd' }, true);

      expect(response.status).toBe(400);
      expect(response.body.message).toEqual([`${field} ${NUL_MESSAGE}`]);
    });

    it.each(QUERY_ROUTES.map((route) => [route.route, route] as const))(
      'returns 400 on %s for a NUL in the search',
      async (_name, route) => {
        const response = await send(route, undefined, false, '?search=a%00b');

        expect(response.status).toBe(400);
        expect(response.body.message).toEqual([`search ${NUL_MESSAGE}`]);
      },
    );

    it('changes nothing when refused', async () => {
      const route = ROUTES.find((candidate) => candidate.route === 'PATCH /users/me')!;

      await send(route, { fullName: 'Changed\u0000' });

      const stored = await testApp.dataSource
        .getRepository(User)
        .findOneByOrFail({ id: member.user.id });
      expect(stored.fullName).toBe(member.user.fullName);
    });
  });

  describe('a lone UTF-16 surrogate (finding 5)', () => {
    // Written as JSON escapes: JSON.stringify would send the same, but the text shows the case.
    it.each([
      ['POST /auth/register', 'password'],
      ['POST /auth/register', 'email'],
      ['POST /auth/login', 'password'],
      ['POST /auth/login', 'username'],
      ['POST /users/me/password', 'currentPassword'],
      ['POST /users/me/password', 'newPassword'],
      ['PATCH /users/me', 'fullName'],
    ])('returns 400 on %s for "\\ud800" in %s', async (name, field) => {
      const route = ROUTES.find((candidate) => candidate.route === name)!;
      const base = route.body!();
      const json = JSON.stringify({ ...base, [field]: 'SURROGATE' }).replace(
        '"SURROGATE"',
        '"lantern orbit \\ud800 pickle"',
      );

      const response = await send(route, json);

      expect(response.status).toBe(400);
      expect(response.body.message).toEqual([`${field} ${SURROGATE_MESSAGE}`]);
    });

    it('still accepts a password with a well-formed surrogate pair (an emoji)', async () => {
      const body = { ...registerBody(), password: 'lantern orbit 🦊 pickle' };

      const response = await testApp.http().post('/api/v1/auth/register').send(body);

      expect(response.status).toBe(201);
    });
  });

  describe('fields named after inherited members (finding 17)', () => {
    const NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];
    const cases = ROUTES.flatMap((route) =>
      NAMES.map((name) => [route.route, name, route] as const),
    );

    it.each(cases)('returns 400 on %s for a JSON field %s', async (_route, name, route) => {
      // Built as text: an object literal would treat __proto__ as the prototype, not a field.
      const json = JSON.stringify(route.body!()).replace(/}$/, `,"${name}":"x"}`);

      const response = await send(route, json);

      expect(response.status).toBe(400);
      // Fastify's JSON parser refuses __proto__ itself, with its own message.
      if (name !== '__proto__') {
        expect(response.body.message).toEqual([`property ${name} should not exist`]);
      }
    });

    it.each(cases)('returns 400 on %s for a form field %s', async (_route, name, route) => {
      const form = `${new URLSearchParams(route.body!()).toString()}&${name}=x`;

      const response = await send(route, form, true);

      expect(response.status).toBe(400);
    });

    it.each(
      QUERY_ROUTES.flatMap((route) => NAMES.map((name) => [route.route, name, route] as const)),
    )('returns 400 on %s for a query parameter %s', async (_route, name, route) => {
      const response = await send(route, undefined, false, `?${name}=1`);

      expect(response.status).toBe(400);
      expect(response.body.message).toEqual([`property ${name} should not exist`]);
    });

    it('refuses one nested inside a field', async () => {
      const json = JSON.stringify(registerBody()).replace(/}$/, ',"fullName":{"toString":"x"}}');

      const response = await send(ROUTES[0], json);

      expect(response.status).toBe(400);
      expect(response.body.message).toEqual(['property fullName.toString should not exist']);
    });

    it('creates no account for a refused registration', async () => {
      const body = registerBody();
      const json = JSON.stringify(body).replace(/}$/, ',"constructor":"x"}');

      await send(ROUTES[0], json);

      expect(
        await testApp.dataSource.getRepository(User).findOneBy({ username: body.username }),
      ).toBeNull();
    });
  });
});
