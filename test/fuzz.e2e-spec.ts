import fc from 'fast-check';
import type { Response } from 'supertest';
import { User } from '../src/users/user.entity';
import { bearer, login } from './support/auth-helpers';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser } from './support/factories/user.factory';

// Each property is bounded by its number of runs, never by a time limit, so a busy machine makes
// it slower but never weaker; the per-test timeout leaves room for that (about 3 s when idle).
const RUNS = 150;
const FUZZ_TIMEOUT_MS = 120_000;

/** What must never reach a client: stack frames, SQL, driver errors, internal class names. */
const LEAK =
  /\bat [\w$.<>]+ \(|node_modules|\.[jt]s:\d+|QueryFailedError|SQLITE_|\bSELECT\b|\bINSERT\b|\bUPDATE "|TypeError|ReferenceError|EntityNotFound/;

function expectSafe(response: Response): void {
  expect(response.status).toBeGreaterThanOrEqual(200);
  expect(response.status).toBeLessThan(500);
  expect(response.text).not.toMatch(LEAK);
  if (response.status >= 400) {
    expect(response.body).toEqual(
      expect.objectContaining({ statusCode: response.status, error: expect.any(String) }),
    );
  }
}

/** Printable ASCII: what an HTTP client can put in a header at all. */
const headerText = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
});
const base64url = fc.string({
  unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
  minLength: 1,
});
const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

const authorizationHeader = fc.oneof(
  headerText,
  fc
    .tuple(fc.constantFrom('Bearer ', 'bearer ', 'BEARER  ', 'Basic ', 'Bearer', ''), headerText)
    .map(([scheme, rest]) => scheme + rest),
  fc.tuple(base64url, base64url, base64url).map(([a, b, c]) => `Bearer ${a}.${b}.${c}`),
  // Unsigned tokens with arbitrary claims: alg "none" and friends.
  fc
    .tuple(fc.constantFrom('none', 'None', 'HS256', 'HS512', 'RS256'), fc.jsonValue())
    .map(([alg, claims]) => `Bearer ${encode({ alg, typ: 'JWT' })}.${encode(claims)}.`),
);

/** Objects with the DTOs' field names (and prototype keys) mixed with arbitrary ones. */
const fieldName = fc.oneof(
  fc.constantFrom(
    'email',
    'username',
    'password',
    'fullName',
    'refresh_token',
    'currentPassword',
    'newPassword',
    'token',
    'newEmail',
    'emailVerified',
    'grant_type',
    'scope',
    'roles',
    'isActive',
    '__proto__',
    'constructor',
  ),
  fc.string(),
);
const dtoLikeBody = fc.dictionary(fieldName, fc.oneof(fc.string(), fc.jsonValue()));
const jsonBody = fc.oneof(dtoLikeBody, fc.jsonValue());

describe('Fuzzing', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp({ LOGIN_MAX_ATTEMPTS: '1000000', AUTH_RATE_LIMIT: '1000000' });
  });

  afterAll(async () => {
    await testApp.close();
  });

  const countUsers = (): Promise<number> => testApp.dataSource.getRepository(User).count();

  const routes: { method: 'post' | 'patch'; path: string; authenticated: boolean }[] = [
    { method: 'post', path: '/api/v1/auth/register', authenticated: false },
    { method: 'post', path: '/api/v1/auth/login', authenticated: false },
    { method: 'post', path: '/api/v1/auth/refresh', authenticated: false },
    { method: 'post', path: '/api/v1/auth/logout', authenticated: true },
    { method: 'patch', path: '/api/v1/users/me', authenticated: true },
    { method: 'post', path: '/api/v1/users/me/password', authenticated: true },
    { method: 'post', path: '/api/v1/auth/password/forgot', authenticated: false },
    { method: 'post', path: '/api/v1/auth/password/reset', authenticated: false },
    { method: 'post', path: '/api/v1/auth/email/verify', authenticated: false },
    { method: 'post', path: '/api/v1/auth/email/verify/resend', authenticated: false },
    { method: 'post', path: '/api/v1/auth/email/change/confirm', authenticated: false },
    { method: 'post', path: '/api/v1/users/me/email', authenticated: true },
  ];

  it.each(routes)(
    'never answers 5xx, leaks or creates a user for arbitrary JSON on $method $path',
    async ({ method, path, authenticated }) => {
      // A user and session of its own: a logout or a password change must not spoil other routes.
      const { access_token: accessToken } = await login(
        testApp,
        await createUser(testApp.dataSource),
      );
      await fc.assert(
        fc.asyncProperty(jsonBody, async (body) => {
          const before = await countUsers();
          let call = testApp.http()[method](path).set('Content-Type', 'application/json');
          if (authenticated) {
            call = call.set(bearer(accessToken));
          }

          const response = await call.send(JSON.stringify(body));

          expectSafe(response);
          expect(response.status).not.toBe(201);
          expect(await countUsers()).toBe(before);
        }),
        { numRuns: RUNS },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'never answers 5xx or leaks for malformed JSON text',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.string(), async (text) => {
          const response = await testApp
            .http()
            .post('/api/v1/auth/register')
            .set('Content-Type', 'application/json')
            .send(text);

          expectSafe(response);
          expect(response.status).not.toBe(201);
        }),
        { numRuns: RUNS },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'never lets an arbitrary Authorization header in, nor answers 5xx',
    async () => {
      await fc.assert(
        fc.asyncProperty(authorizationHeader, async (header) => {
          const response = await testApp
            .http()
            .get('/api/v1/users/me')
            .set('Authorization', header);

          expectSafe(response);
          expect(response.status).toBe(401);
          expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
        }),
        { numRuns: RUNS },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it.each(['/api/v1/auth/login', '/api/v1/auth/register'])(
    'never answers 5xx, signs in or creates a user for arbitrary form bodies on POST %s',
    async (path) => {
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(fieldName, fc.string()),
          fc.string(),
          async (fields, raw) => {
            const before = await countUsers();
            const form = new URLSearchParams(fields).toString() + (raw ? `&${raw}` : '');

            const response = await testApp
              .http()
              .post(path)
              .set('Content-Type', 'application/x-www-form-urlencoded')
              .send(form);

            expectSafe(response);
            expect([200, 201]).not.toContain(response.status);
            expect(await countUsers()).toBe(before);
          },
        ),
        { numRuns: RUNS },
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
