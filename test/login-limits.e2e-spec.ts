import { LoginAttemptsService } from '../src/rate-limit/login-attempts.service';
import { PasswordHasher } from '../src/users/password-hasher.service';
import { addressedClient, type AddressedRequest, type RawResponse } from './support/client-address';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser, uniqueName } from './support/factories/user.factory';

const LOGIN = '/api/v1/auth/login';
const MAX_ATTEMPTS = 3;

type Send = (request: AddressedRequest) => Promise<RawResponse>;

let lastOctet = 10;
/** A loopback address no other test in this file has used. */
function freshAddress(): string {
  lastOctet += 1;
  return `127.0.${Math.floor(lastOctet / 250)}.${(lastOctet % 250) + 2}`;
}

function loginFrom(
  send: Send,
  from: string,
  username: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return send({ path: LOGIN, from, form: true, body: { username, password }, headers });
}

function expectTooManyRequests(response: RawResponse, windowSeconds: number): void {
  expect(response.status).toBe(429);
  expect(response.body).toEqual({
    statusCode: 429,
    message: 'Too many failed login attempts; try again later',
    error: 'Too Many Requests',
  });
  const retryAfter = response.headers['retry-after'];
  expect(retryAfter).toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(retryAfter)).toBeLessThanOrEqual(windowSeconds);
}

describe(LoginAttemptsService.name, () => {
  describe('with LOGIN_MAX_ATTEMPTS=3 and the default window (TRUST_PROXY off)', () => {
    let testApp: TestApp;
    let send: Send;

    beforeAll(async () => {
      testApp = await createTestApp({ LOGIN_MAX_ATTEMPTS: String(MAX_ATTEMPTS) });
      send = await addressedClient(testApp.app);
    });

    afterAll(async () => {
      await testApp.close();
    });

    afterEach(() => {
      jest.restoreAllMocks();
    });

    it('counts failures per account from several addresses, by email and username alike', async () => {
      const { user, password } = await createUser(testApp.dataSource);
      const logins = [user.email, user.username, user.email.toUpperCase()];
      for (const login of logins) {
        const response = await loginFrom(send, freshAddress(), login, 'wrong-password');
        expect(response.status).toBe(401);
      }

      const locked = await loginFrom(send, freshAddress(), user.username, password);

      expectTooManyRequests(locked, 15 * 60);
      expect(locked.headers['www-authenticate']).toBeUndefined();
    });

    it('refuses past the limit without any password check', async () => {
      const { user, password } = await createUser(testApp.dataSource);
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
        await loginFrom(send, freshAddress(), user.username, 'wrong-password');
      }
      const hasher = testApp.app.get(PasswordHasher);
      const verify = jest.spyOn(hasher, 'verify');
      const verifyAgainstNothing = jest.spyOn(hasher, 'verifyAgainstNothing');

      const locked = await loginFrom(send, freshAddress(), user.username, password);

      expect(locked.status).toBe(429);
      expect(verify).not.toHaveBeenCalled();
      expect(verifyAgainstNothing).not.toHaveBeenCalled();
    });

    it('limits guesses at an unknown account, whatever the case of the login', async () => {
      const ghost = `${uniqueName('ghost')}@example.com`;
      for (const login of [ghost, ghost.toUpperCase(), ghost]) {
        expect((await loginFrom(send, freshAddress(), login, 'whatever-1')).status).toBe(401);
      }

      const locked = await loginFrom(send, freshAddress(), ghost, 'whatever-1');

      expectTooManyRequests(locked, 15 * 60);
    });

    it('counts failures per address across several accounts', async () => {
      const address = freshAddress();
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
        const { user } = await createUser(testApp.dataSource);
        expect((await loginFrom(send, address, user.email, 'wrong-password')).status).toBe(401);
      }
      const { user, password } = await createUser(testApp.dataSource);

      const fromBlockedAddress = await loginFrom(send, address, user.email, password);
      const fromAnotherAddress = await loginFrom(send, freshAddress(), user.email, password);

      expectTooManyRequests(fromBlockedAddress, 15 * 60);
      expect(fromAnotherAddress.status).toBe(200);
    });

    it('does not count successful logins against the address', async () => {
      const address = freshAddress();
      const { user, password } = await createUser(testApp.dataSource);

      for (let attempt = 0; attempt < MAX_ATTEMPTS + 2; attempt += 1) {
        expect((await loginFrom(send, address, user.username, password)).status).toBe(200);
      }
    });

    it('resets the account count on a successful login', async () => {
      const { user, password } = await createUser(testApp.dataSource);
      const failTwice = async (): Promise<void> => {
        for (let attempt = 0; attempt < MAX_ATTEMPTS - 1; attempt += 1) {
          expect((await loginFrom(send, freshAddress(), user.email, 'nope-nope')).status).toBe(401);
        }
      };

      await failTwice();
      expect((await loginFrom(send, freshAddress(), user.email, password)).status).toBe(200);
      await failTwice();

      // Four failures in the window, but the success in between started the count again.
      expect((await loginFrom(send, freshAddress(), user.email, password)).status).toBe(200);
    });

    it('lets no more than LOGIN_MAX_ATTEMPTS concurrent guesses reach the password check', async () => {
      const { user } = await createUser(testApp.dataSource);

      const responses = await Promise.all(
        Array.from({ length: 12 }, () =>
          loginFrom(send, freshAddress(), user.username, 'wrong-password'),
        ),
      );

      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 401)).toHaveLength(MAX_ATTEMPTS);
      expect(statuses.filter((status) => status === 429)).toHaveLength(12 - MAX_ATTEMPTS);
    });

    it('ignores a forged X-Forwarded-For when TRUST_PROXY is off', async () => {
      const address = freshAddress();
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
        const { user } = await createUser(testApp.dataSource);
        const response = await loginFrom(send, address, user.email, 'wrong-password', {
          'X-Forwarded-For': `198.51.100.${attempt + 1}`,
        });
        expect(response.status).toBe(401);
      }
      const { user, password } = await createUser(testApp.dataSource);

      const response = await loginFrom(send, address, user.email, password, {
        'X-Forwarded-For': '198.51.100.200',
      });

      expectTooManyRequests(response, 15 * 60);
    });
  });

  describe('with TRUST_PROXY=1 and LOGIN_WINDOW=2s', () => {
    const windowSeconds = 2;
    let testApp: TestApp;
    let send: Send;

    beforeAll(async () => {
      testApp = await createTestApp({
        LOGIN_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
        LOGIN_WINDOW: `${windowSeconds}s`,
        TRUST_PROXY: '1',
      });
      send = await addressedClient(testApp.app);
    });

    afterAll(async () => {
      await testApp.close();
    });

    it('counts the forwarded client behind a trusted proxy, not the proxy', async () => {
      const proxy = freshAddress();
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
        const { user } = await createUser(testApp.dataSource);
        const response = await loginFrom(send, proxy, user.email, 'wrong-password', {
          'X-Forwarded-For': '203.0.113.7',
        });
        expect(response.status).toBe(401);
      }
      const { user, password } = await createUser(testApp.dataSource);

      const sameClient = await loginFrom(send, proxy, user.email, password, {
        'X-Forwarded-For': '203.0.113.7',
      });
      const otherClient = await loginFrom(send, proxy, user.email, password, {
        'X-Forwarded-For': '203.0.113.8',
      });

      expectTooManyRequests(sameClient, windowSeconds);
      expect(otherClient.status).toBe(200);
    });

    it('lets the user in once the window has passed, however often an attacker was refused meanwhile', async () => {
      const { user, password } = await createUser(testApp.dataSource);
      const firstFailureAt = Date.now();
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
        await loginFrom(send, freshAddress(), user.username, 'wrong-password');
      }
      // The attacker keeps trying through the window; none of it may extend the lock-out.
      while (Date.now() - firstFailureAt < windowSeconds * 1000 - 300) {
        expect((await loginFrom(send, freshAddress(), user.username, 'wrong')).status).toBe(429);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, firstFailureAt + windowSeconds * 1000 + 100 - Date.now())),
      );

      const response = await loginFrom(send, freshAddress(), user.username, password);

      expect(response.status).toBe(200);
    });
  });
});
