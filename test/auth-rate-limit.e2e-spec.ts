import { AuthRateLimitGuard } from '../src/rate-limit/auth-rate-limit.guard';
import { addressedClient, type AddressedRequest, type RawResponse } from './support/client-address';
import { createTestApp, type TestApp } from './support/create-test-app';
import { bearer, login } from './support/auth-helpers';
import { createUser, uniqueName } from './support/factories/user.factory';

const LIMIT = 3;

describe(AuthRateLimitGuard.name, () => {
  let testApp: TestApp;
  let send: (request: AddressedRequest) => Promise<RawResponse>;

  beforeAll(async () => {
    testApp = await createTestApp({ AUTH_RATE_LIMIT: String(LIMIT), LOGIN_MAX_ATTEMPTS: '100' });
    send = await addressedClient(testApp.app);
  });

  afterAll(async () => {
    await testApp.close();
  });

  const register = (from: string): Promise<RawResponse> =>
    send({ path: '/api/v1/auth/register', from, body: { email: 'not-an-email' } });

  describe('POST /auth/register', () => {
    it('answers 429 with Retry-After past AUTH_RATE_LIMIT requests a minute from one address', async () => {
      for (let request = 0; request < LIMIT; request += 1) {
        expect((await register('127.0.1.2')).status).toBe(400);
      }

      const limited = await register('127.0.1.2');
      const otherAddress = await register('127.0.1.3');

      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({
        statusCode: 429,
        message: 'Too many requests; try again later',
        error: 'Too Many Requests',
      });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(limited.headers['retry-after']).toMatch(/^\d+$/);
      expect(otherAddress.status).toBe(400);
    });

    it('ignores a forged X-Forwarded-For when TRUST_PROXY is off', async () => {
      const statuses: number[] = [];
      for (let request = 0; request <= LIMIT; request += 1) {
        const response = await send({
          path: '/api/v1/auth/register',
          from: '127.0.1.4',
          body: {},
          headers: { 'X-Forwarded-For': `192.0.2.${request + 1}` },
        });
        statuses.push(response.status);
      }

      expect(statuses).toEqual([400, 400, 400, 429]);
    });
  });

  describe('PATCH /users/me', () => {
    it('answers 429 past AUTH_RATE_LIMIT username probes a minute from one address', async () => {
      const taken = await createUser(testApp.dataSource);
      const prober = await createUser(testApp.dataSource);
      const { access_token: token } = await login(testApp, prober);
      const probe = (from: string, username: string): Promise<RawResponse> =>
        send({
          method: 'PATCH',
          path: '/api/v1/users/me',
          from,
          body: { username },
          headers: bearer(token),
        });

      const statuses: number[] = [];
      for (let request = 0; request < LIMIT; request += 1) {
        statuses.push(
          (await probe('127.0.1.6', request === 0 ? taken.user.username : uniqueName())).status,
        );
      }
      const limited = await probe('127.0.1.6', taken.user.username);
      const otherAddress = await probe('127.0.1.7', taken.user.username);

      expect(statuses).toEqual([409, 200, 200]);
      expect(limited.status).toBe(429);
      expect(limited.headers['retry-after']).toMatch(/^\d+$/);
      expect(otherAddress.status).toBe(409);
    });
  });

  describe('POST /users/me/password', () => {
    it('answers 429 past AUTH_RATE_LIMIT password changes a minute from one address', async () => {
      const testUser = await createUser(testApp.dataSource);
      const { access_token: token } = await login(testApp, testUser);
      // A weak new password: refused by the strength check (400), which is the costly part.
      const change = (from: string): Promise<RawResponse> =>
        send({
          path: '/api/v1/users/me/password',
          from,
          body: { currentPassword: testUser.password, newPassword: 'password123' },
          headers: bearer(token),
        });

      const statuses: number[] = [];
      for (let request = 0; request <= LIMIT; request += 1) {
        statuses.push((await change('127.0.1.8')).status);
      }

      expect(statuses).toEqual([400, 400, 400, 429]);
      expect((await change('127.0.1.9')).status).toBe(400);
    });
  });

  it('leaves login and other routes unthrottled', async () => {
    const { user, password } = await createUser(testApp.dataSource);
    const statuses: number[] = [];
    for (let request = 0; request < LIMIT * 3; request += 1) {
      const login = await send({
        path: '/api/v1/auth/login',
        from: '127.0.1.5',
        body: { username: user.username, password },
      });
      const health = await send({ method: 'GET', path: '/api/v1/health/live', from: '127.0.1.5' });
      statuses.push(login.status, health.status);
    }

    expect(new Set(statuses)).toEqual(new Set([200]));
  });
});
