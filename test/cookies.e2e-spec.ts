import type { Response } from 'supertest';
import { AuthCookies } from '../src/auth/cookies/auth-cookies.service';
import { CSRF_TOKEN_MISMATCH } from '../src/auth/cookies/csrf-check';
import { Role } from '../src/users/role.enum';
import { bearer, login } from './support/auth-helpers';
import { CookieJar, setCookiesOf } from './support/cookie-jar';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser, type TestUser } from './support/factories/user.factory';
import { enableTotp } from './support/mfa-helpers';

const APP_ORIGIN = 'https://app.example.com';
const LOGIN = '/api/v1/auth/login';
const REFRESH = '/api/v1/auth/refresh';
const LOGOUT = '/api/v1/auth/logout';
const ME = '/api/v1/users/me';
const POSTS = '/api/v1/posts';
const POST_BODY = { title: 'Written by cookie', content: 'Hello from a browser app' };

interface CookieSession {
  jar: CookieJar;
  csrf: string;
  response: Response;
}

describe(AuthCookies.name, () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp({ CORS_ORIGINS: APP_ORIGIN });
  });

  afterAll(async () => {
    await testApp.close();
  });

  /** Signs in with X-Auth-Transport: cookie, as a browser app does, and keeps the cookies. */
  async function cookieLogin(testUser: TestUser, app = testApp): Promise<CookieSession> {
    const response = await app
      .http()
      .post(LOGIN)
      .set('X-Auth-Transport', 'cookie')
      .send({ username: testUser.user.username, password: testUser.password });
    expect(response.status).toBe(200);
    const jar = new CookieJar().store(response);
    return { jar, csrf: String(response.body.csrf_token), response };
  }

  function get(path: string, jar: CookieJar) {
    return testApp.http().get(path).set('Cookie', jar.headerFor(path));
  }

  function post(path: string, jar: CookieJar) {
    return testApp.http().post(path).set('Cookie', jar.headerFor(path));
  }

  describe('POST /auth/login with X-Auth-Transport: cookie', () => {
    it('sets the three cookies with the contract attributes and Max-Age of the tokens', async () => {
      const { response } = await cookieLogin(await createUser(testApp.dataSource));
      const cookies = setCookiesOf(response);
      const { expires_in: accessSeconds, refresh_expires_in: refreshSeconds } = response.body;

      expect([...cookies.keys()].sort()).toEqual(['access_token', 'csrf_token', 'refresh_token']);
      expect(cookies.get('access_token')?.attributes).toEqual({
        'max-age': String(accessSeconds),
        path: '/',
        httponly: true,
        secure: true,
        samesite: 'Lax',
      });
      expect(cookies.get('refresh_token')?.attributes).toEqual({
        'max-age': String(refreshSeconds),
        path: '/api/v1/auth',
        httponly: true,
        secure: true,
        samesite: 'Strict',
      });
      expect(cookies.get('csrf_token')?.attributes).toEqual({
        'max-age': String(refreshSeconds),
        path: '/',
        secure: true,
        samesite: 'Lax',
      });
      expect(accessSeconds).toBe(900);
      expect(refreshSeconds).toBeGreaterThan(604000);
    });

    it('answers without tokens: token_type cookie, lifetimes and the CSRF token, not cached', async () => {
      const { response, jar } = await cookieLogin(await createUser(testApp.dataSource));

      expect(Object.keys(response.body).sort()).toEqual([
        'csrf_token',
        'expires_in',
        'refresh_expires_in',
        'token_type',
      ]);
      expect(response.body.token_type).toBe('cookie');
      expect(response.body.csrf_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(response.body.csrf_token).toBe(jar.get('csrf_token'));
      expect(response.text).not.toContain(String(jar.get('access_token')));
      expect(response.text).not.toContain(String(jar.get('refresh_token')));
      expect(jar.get('access_token')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(response.headers['cache-control']).toBe('no-store');
    });

    it('accepts the OAuth2 form too', async () => {
      const testUser = await createUser(testApp.dataSource);
      const response = await testApp
        .http()
        .post(LOGIN)
        .set('X-Auth-Transport', 'cookie')
        .type('form')
        .send({ username: testUser.user.email, password: testUser.password });

      expect(response.status).toBe(200);
      expect(response.body.token_type).toBe('cookie');
      expect(setCookiesOf(response).has('access_token')).toBe(true);
    });

    it('answers with tokens in the body and sets no cookie without it, or with bearer', async () => {
      const testUser = await createUser(testApp.dataSource);
      const credentials = { username: testUser.user.username, password: testUser.password };

      const plain = await testApp.http().post(LOGIN).send(credentials);
      const explicit = await testApp
        .http()
        .post(LOGIN)
        .set('X-Auth-Transport', 'Bearer')
        .send(credentials);

      for (const response of [plain, explicit]) {
        expect(response.status).toBe(200);
        expect(response.body.token_type).toBe('bearer');
        expect(response.body.access_token).toEqual(expect.any(String));
        expect(response.headers['set-cookie']).toBeUndefined();
      }
    });

    it('returns 400 for an unknown X-Auth-Transport, and opens no session', async () => {
      const testUser = await createUser(testApp.dataSource);
      const response = await testApp
        .http()
        .post(LOGIN)
        .set('X-Auth-Transport', 'localStorage')
        .send({ username: testUser.user.username, password: testUser.password });
      const tokens = await login(testApp, testUser);
      const sessions = await testApp
        .http()
        .get('/api/v1/users/me/sessions')
        .set(bearer(tokens.access_token));

      expect(response.status).toBe(400);
      expect(response.body.message).toBe('X-Auth-Transport must be "cookie" or "bearer"');
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(sessions.body).toHaveLength(1);
    });

    it('sets no cookie when the credentials are wrong', async () => {
      const testUser = await createUser(testApp.dataSource);
      const response = await testApp
        .http()
        .post(LOGIN)
        .set('X-Auth-Transport', 'cookie')
        .send({ username: testUser.user.username, password: 'not the password' });

      expect(response.status).toBe(401);
      expect(response.headers['set-cookie']).toBeUndefined();
    });
  });

  describe('POST /auth/login/mfa with X-Auth-Transport: cookie', () => {
    it('answers the second step with the cookies, and so does a login with its code', async () => {
      const testUser = await createUser(testApp.dataSource);
      const { recoveryCodes } = await enableTotp(testApp, testUser);
      const credentials = { username: testUser.user.username, password: testUser.password };
      const first = await testApp
        .http()
        .post(LOGIN)
        .set('X-Auth-Transport', 'cookie')
        .send(credentials);

      const second = await testApp
        .http()
        .post('/api/v1/auth/login/mfa')
        .set('X-Auth-Transport', 'cookie')
        .send({ mfa_token: first.body.mfa_token, code: recoveryCodes[0] });
      const oneStep = await testApp
        .http()
        .post(LOGIN)
        .set('X-Auth-Transport', 'cookie')
        .send({ ...credentials, code: recoveryCodes[1] });

      expect(first.status).toBe(403);
      expect(first.headers['set-cookie']).toBeUndefined();
      for (const response of [second, oneStep]) {
        expect(response.status).toBe(200);
        expect(response.body).toEqual({
          token_type: 'cookie',
          expires_in: 900,
          refresh_expires_in: expect.any(Number),
          csrf_token: expect.any(String),
        });
        expect(response.headers['cache-control']).toBe('no-store');
        const me = await get(ME, new CookieJar().store(response));
        expect(me.body.id).toBe(testUser.user.id);
      }
    });
  });

  describe('requests authenticated by the access_token cookie', () => {
    it('returns the user on GET /users/me', async () => {
      const testUser = await createUser(testApp.dataSource);
      const { jar } = await cookieLogin(testUser);

      const response = await get(ME, jar);

      expect(response.status).toBe(200);
      expect(response.body.id).toBe(testUser.user.id);
    });

    it('returns 401 with WWW-Authenticate: Bearer without the cookie', async () => {
      const response = await testApp.http().get(ME).set('Cookie', 'csrf_token=abc');

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
    });

    it('returns 401 for a cookie that is not a valid token', async () => {
      const response = await testApp.http().get(ME).set('Cookie', 'access_token=not.a.jwt');

      expect(response.status).toBe(401);
    });

    it('ignores the cookie when an Authorization header is present, even a malformed one', async () => {
      const { jar } = await cookieLogin(await createUser(testApp.dataSource));

      for (const authorization of ['Bearer', 'Basic dXNlcjpwYXNz', 'Bearer not-a-token', '']) {
        const response = await get(ME, jar).set('Authorization', authorization);
        expect([authorization, response.status]).toEqual([authorization, 401]);
      }
    });

    it("takes the bearer token's user, not the cookie's, when both are sent", async () => {
      const { jar } = await cookieLogin(await createUser(testApp.dataSource));
      const other = await createUser(testApp.dataSource);
      const tokens = await login(testApp, other);

      const response = await get(ME, jar).set(bearer(tokens.access_token));

      expect(response.status).toBe(200);
      expect(response.body.id).toBe(other.user.id);
    });

    it('refuses a POST without X-CSRF-Token with 403 and a clear message', async () => {
      const { jar } = await cookieLogin(await createUser(testApp.dataSource));

      const response = await post(POSTS, jar).send(POST_BODY);

      expect(response.status).toBe(403);
      expect(response.body).toEqual({
        statusCode: 403,
        message: CSRF_TOKEN_MISMATCH,
        error: 'Forbidden',
      });
    });

    it('refuses a POST whose X-CSRF-Token differs from the cookie', async () => {
      const { jar, csrf } = await cookieLogin(await createUser(testApp.dataSource));
      const wrong = `${csrf.slice(0, -1)}${csrf.endsWith('A') ? 'B' : 'A'}`;

      const responses = await Promise.all(
        [wrong, csrf.slice(1), `${csrf}x`, 'x'].map((token) =>
          post(POSTS, jar).set('X-CSRF-Token', token).send(POST_BODY),
        ),
      );

      expect(responses.map((response) => response.status)).toEqual([403, 403, 403, 403]);
    });

    it('refuses the right header when the csrf_token cookie is missing', async () => {
      const { jar, csrf } = await cookieLogin(await createUser(testApp.dataSource));
      const withoutCsrfCookie = `access_token=${jar.get('access_token')}`;

      const response = await testApp
        .http()
        .post(POSTS)
        .set('Cookie', withoutCsrfCookie)
        .set('X-CSRF-Token', csrf)
        .send(POST_BODY);

      expect(response.status).toBe(403);
    });

    it('accepts a POST with the right X-CSRF-Token and no Origin', async () => {
      const testUser = await createUser(testApp.dataSource);
      const { jar, csrf } = await cookieLogin(testUser);

      const response = await post(POSTS, jar).set('X-CSRF-Token', csrf).send(POST_BODY);

      expect(response.status).toBe(201);
      expect(response.body.authorId).toBe(testUser.user.id);
    });

    it('accepts the Origin of CORS_ORIGINS and its own, and refuses any other with 403', async () => {
      const { jar, csrf } = await cookieLogin(await createUser(testApp.dataSource));
      const send = (origin: string, host = '127.0.0.1') =>
        post(POSTS, jar)
          .set('Host', host)
          .set('Origin', origin)
          .set('X-CSRF-Token', csrf)
          .send(POST_BODY);

      const allowed = await send(APP_ORIGIN);
      const own = await send('http://api.example.test:8080', 'api.example.test:8080');
      const foreign = await send('https://evil.example.net');
      const lookalike = await send('https://app.example.com.evil.net');
      const opaque = await send('null');
      const ownHostOtherPort = await send('http://api.example.test:9999', 'api.example.test:8080');

      expect(allowed.status).toBe(201);
      expect(own.status).toBe(201);
      expect(foreign.status).toBe(403);
      expect(foreign.body.message).toBe(
        'Origin https://evil.example.net may not send requests authenticated by cookies',
      );
      expect(lookalike.status).toBe(403);
      expect(opaque.status).toBe(403);
      expect(ownHostOtherPort.status).toBe(403);
    });

    it('needs no CSRF token for GET, HEAD and OPTIONS', async () => {
      const { jar } = await cookieLogin(await createUser(testApp.dataSource));

      const getMe = await get(ME, jar).set('Origin', 'https://evil.example.net');
      const headMe = await testApp.http().head(ME).set('Cookie', jar.headerFor(ME));

      expect(getMe.status).toBe(200);
      expect(headMe.status).toBe(200);
    });

    it('leaves bearer requests alone: no CSRF token, any Origin', async () => {
      const tokens = await login(testApp, await createUser(testApp.dataSource));

      const response = await testApp
        .http()
        .post(POSTS)
        .set(bearer(tokens.access_token))
        .set('Origin', 'https://evil.example.net')
        .set('Cookie', 'csrf_token=something-else')
        .send(POST_BODY);

      expect(response.status).toBe(201);
    });

    it('answers malformed Cookie headers with 401, never 500', async () => {
      const headers = [
        'access_token=%E0%A4%A',
        'access_token',
        '=; ;;',
        `access_token="${'a'.repeat(5000)}"`,
        'access_token=a; access_token=b',
      ];

      for (const cookie of headers) {
        const response = await testApp.http().get(ME).set('Cookie', cookie);
        expect([cookie.slice(0, 30), response.status]).toEqual([cookie.slice(0, 30), 401]);
      }
    });

    it('refuses two X-CSRF-Token values (two headers, joined by the parser), even both right', async () => {
      const { jar, csrf } = await cookieLogin(await createUser(testApp.dataSource));

      const response = await post(POSTS, jar)
        .set('X-CSRF-Token', `${csrf}, ${csrf}`)
        .send(POST_BODY);

      expect(response.status).toBe(403);
    });

    it('checks the CSRF token only once the cookie authenticated the caller (401 before 403)', async () => {
      const response = await testApp
        .http()
        .post(POSTS)
        .set('Cookie', 'access_token=not.a.jwt')
        .send(POST_BODY);

      expect(response.status).toBe(401);
    });

    it('refuses the cookie from the very next request once the user is disabled', async () => {
      const admin = await createUser(testApp.dataSource, { roles: [Role.User, Role.Admin] });
      const adminTokens = await login(testApp, admin);
      const testUser = await createUser(testApp.dataSource);
      const { jar } = await cookieLogin(testUser);
      // Twice first: the second answer may come from the verified-token cache.
      expect((await get(ME, jar)).status).toBe(200);
      expect((await get(ME, jar)).status).toBe(200);

      const disabled = await testApp
        .http()
        .patch(`/api/v1/users/${testUser.user.id}`)
        .set(bearer(adminTokens.access_token))
        .send({ isActive: false });
      const after = await get(ME, jar);

      expect(disabled.status).toBe(200);
      expect(after.status).toBe(401);
    });

    it('refuses the cookie from the very next request once its session is deleted', async () => {
      const testUser = await createUser(testApp.dataSource);
      const { jar } = await cookieLogin(testUser);
      const sessions = await get('/api/v1/users/me/sessions', jar);
      const sessionId = String(sessions.body[0].id);

      const deleted = await testApp
        .http()
        .delete(`/api/v1/users/me/sessions/${sessionId}`)
        .set('Cookie', jar.headerFor(ME))
        .set('X-CSRF-Token', String(jar.get('csrf_token')));
      const after = await get(ME, jar);

      expect(deleted.status).toBe(204);
      expect(after.status).toBe(401);
    });
  });

  describe('POST /auth/refresh by cookie', () => {
    function refresh(jar: CookieJar) {
      return post(REFRESH, jar).set('X-CSRF-Token', String(jar.get('csrf_token')));
    }

    it('rotates the cookies with no body, keeping the CSRF token', async () => {
      const testUser = await createUser(testApp.dataSource);
      const { jar, csrf } = await cookieLogin(testUser);
      const before = jar.clone();

      const response = await refresh(jar);
      jar.store(response);
      const me = await get(ME, jar);

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        token_type: 'cookie',
        expires_in: 900,
        refresh_expires_in: expect.any(Number),
        csrf_token: csrf,
      });
      expect(response.headers['cache-control']).toBe('no-store');
      expect(jar.get('refresh_token')).not.toBe(before.get('refresh_token'));
      expect(jar.get('access_token')).not.toBe(before.get('access_token'));
      expect(setCookiesOf(response).get('refresh_token')?.attributes).toMatchObject({
        path: '/api/v1/auth',
        httponly: true,
        samesite: 'Strict',
      });
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(testUser.user.id);
    });

    it('answers by cookie even without X-Auth-Transport, so no token reaches a script', async () => {
      const { jar } = await cookieLogin(await createUser(testApp.dataSource));

      const response = await refresh(jar).set('X-Auth-Transport', 'bearer');

      expect(response.status).toBe(200);
      expect(response.body.token_type).toBe('cookie');
      expect(response.body.access_token).toBeUndefined();
      expect(response.body.refresh_token).toBeUndefined();
    });

    it('treats an empty JSON object like no body', async () => {
      const { jar } = await cookieLogin(await createUser(testApp.dataSource));

      const response = await refresh(jar).send({});

      expect(response.status).toBe(200);
      expect(response.body.token_type).toBe('cookie');
    });

    it('refuses a cookie refresh without the CSRF token with 403, leaving the token unspent', async () => {
      const { jar } = await cookieLogin(await createUser(testApp.dataSource));

      const refused = await post(REFRESH, jar);
      const wrongToken = await post(REFRESH, jar).set('X-CSRF-Token', 'guess');
      const foreign = await refresh(jar).set('Origin', 'https://evil.example.net');
      const then = await refresh(jar);

      expect(refused.status).toBe(403);
      expect(refused.body.message).toBe(CSRF_TOKEN_MISMATCH);
      expect(wrongToken.status).toBe(403);
      expect(foreign.status).toBe(403);
      expect(then.status).toBe(200);
    });

    it('ends the session when a spent refresh cookie comes back (reuse detection)', async () => {
      const { jar } = await cookieLogin(await createUser(testApp.dataSource));
      const stolen = jar.clone();
      const first = await refresh(jar);
      jar.store(first);

      const reused = await refresh(stolen);
      const newest = await get(ME, jar);
      const newestRefresh = await refresh(jar);

      expect(first.status).toBe(200);
      expect(reused.status).toBe(401);
      expect(reused.headers['www-authenticate']).toBe('Bearer');
      expect(newest.status).toBe(401);
      expect(newestRefresh.status).toBe(401);
    });

    it('still prefers a refresh_token in the body, answered in the body', async () => {
      const tokens = await login(testApp, await createUser(testApp.dataSource));
      const { jar } = await cookieLogin(await createUser(testApp.dataSource));

      const response = await post(REFRESH, jar).send({ refresh_token: tokens.refresh_token });

      expect(response.status).toBe(200);
      expect(response.body.token_type).toBe('bearer');
      expect(response.body.refresh_token).toEqual(expect.any(String));
    });

    it('returns 400 with no body and no refresh cookie', async () => {
      const response = await testApp.http().post(REFRESH);

      expect(response.status).toBe(400);
    });

    it('returns 401 for a refresh cookie that is no live token', async () => {
      const response = await testApp
        .http()
        .post(REFRESH)
        .set('Cookie', 'refresh_token=unknown; csrf_token=abc')
        .set('X-CSRF-Token', 'abc');

      expect(response.status).toBe(401);
    });
  });

  describe('POST /auth/logout by cookie', () => {
    it('ends the session and clears the three cookies with their Path', async () => {
      const { jar } = await cookieLogin(await createUser(testApp.dataSource));
      const before = jar.clone();

      const response = await post(LOGOUT, jar).set('X-CSRF-Token', String(jar.get('csrf_token')));
      const cleared = setCookiesOf(response);
      const me = await get(ME, before);
      const refreshed = await post(REFRESH, before).set(
        'X-CSRF-Token',
        String(before.get('csrf_token')),
      );

      expect(response.status).toBe(204);
      expect([...cleared.keys()].sort()).toEqual(['access_token', 'csrf_token', 'refresh_token']);
      for (const [name, cookie] of cleared) {
        expect([name, cookie.value]).toEqual([name, '']);
        expect([name, cookie.attributes['max-age']]).toEqual([name, '0']);
        expect([name, cookie.attributes.expires]).toEqual([name, 'Thu, 01 Jan 1970 00:00:00 GMT']);
      }
      expect(cleared.get('access_token')?.attributes.path).toBe('/');
      expect(cleared.get('refresh_token')?.attributes.path).toBe('/api/v1/auth');
      expect(cleared.get('csrf_token')?.attributes.path).toBe('/');
      expect(jar.store(response).headerFor(REFRESH)).toBe('');
      expect(me.status).toBe(401);
      expect(refreshed.status).toBe(401);
    });

    it('refuses a logout without the CSRF token with 403, and the session lives on', async () => {
      const { jar } = await cookieLogin(await createUser(testApp.dataSource));

      const response = await post(LOGOUT, jar);
      const me = await get(ME, jar);

      expect(response.status).toBe(403);
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(me.status).toBe(200);
    });
  });

  describe('CORS with credentials', () => {
    it('answers a preflight from CORS_ORIGINS with credentials and the cookie headers', async () => {
      const response = await testApp
        .http()
        .options(POSTS)
        .set('Origin', APP_ORIGIN)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type,x-csrf-token,x-auth-transport');

      expect(response.status).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
      expect(response.headers['access-control-allow-credentials']).toBe('true');
      const allowed = String(response.headers['access-control-allow-headers']).toLowerCase();
      expect(allowed).toContain('x-csrf-token');
      expect(allowed).toContain('x-auth-transport');
      expect(allowed).toContain('content-type');
    });

    it('allows credentials on answers to CORS_ORIGINS only', async () => {
      const allowed = await testApp.http().get('/api/v1/health/live').set('Origin', APP_ORIGIN);
      const other = await testApp
        .http()
        .get('/api/v1/health/live')
        .set('Origin', 'https://evil.example.net');

      expect(allowed.headers['access-control-allow-credentials']).toBe('true');
      expect(allowed.headers.vary).toContain('Origin');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      expect(other.headers['access-control-allow-credentials']).toBeUndefined();
    });
  });

  describe('with COOKIE_SECURE=false, COOKIE_DOMAIN and CORS_ORIGINS with *', () => {
    let domainApp: TestApp;

    beforeAll(async () => {
      domainApp = await createTestApp({
        COOKIE_SECURE: 'false',
        COOKIE_DOMAIN: 'example.com',
        CORS_ORIGINS: `*,${APP_ORIGIN}`,
      });
    });

    afterAll(async () => {
      await domainApp.close();
    });

    it('sets the cookies without Secure and with the Domain, and clears them with it', async () => {
      const { jar, response } = await cookieLogin(
        await createUser(domainApp.dataSource),
        domainApp,
      );
      const logout = await domainApp
        .http()
        .post(LOGOUT)
        .set('Cookie', jar.headerFor(LOGOUT))
        .set('X-CSRF-Token', String(jar.get('csrf_token')));

      for (const cookie of setCookiesOf(response).values()) {
        expect([cookie.name, cookie.attributes.secure]).toEqual([cookie.name, undefined]);
        expect([cookie.name, cookie.attributes.domain]).toEqual([cookie.name, 'example.com']);
      }
      expect(logout.status).toBe(204);
      for (const cookie of setCookiesOf(logout).values()) {
        expect([cookie.name, cookie.attributes.domain]).toEqual([cookie.name, 'example.com']);
        expect([cookie.name, cookie.attributes['max-age']]).toEqual([cookie.name, '0']);
      }
    });

    it('answers other origins with * and never with credentials', async () => {
      const other = await domainApp
        .http()
        .get('/api/v1/health/live')
        .set('Origin', 'https://anywhere.example.org');
      const listed = await domainApp.http().get('/api/v1/health/live').set('Origin', APP_ORIGIN);

      expect(other.headers['access-control-allow-origin']).toBe('*');
      expect(other.headers['access-control-allow-credentials']).toBeUndefined();
      expect(listed.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
      expect(listed.headers['access-control-allow-credentials']).toBe('true');
    });

    it('does not let * make an Origin acceptable for cookie-authenticated requests', async () => {
      const { jar, csrf } = await cookieLogin(await createUser(domainApp.dataSource), domainApp);

      const response = await domainApp
        .http()
        .post(POSTS)
        .set('Cookie', jar.headerFor(POSTS))
        .set('Origin', 'https://anywhere.example.org')
        .set('X-CSRF-Token', csrf)
        .send(POST_BODY);

      expect(response.status).toBe(403);
    });
  });
});
