import { CurrentPasswordVerifier } from '../src/users/current-password.verifier';
import { addressedClient, type AddressedRequest, type RawResponse } from './support/client-address';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser, type TestUser } from './support/factories/user.factory';

const MAX_ATTEMPTS = 3;
const NEW_PASSWORD = 'lantern orbit pickle granite';

let lastOctet = 10;
/** A loopback address no other test in this file has used. */
function freshAddress(): string {
  lastOctet += 1;
  return `127.0.${Math.floor(lastOctet / 250)}.${(lastOctet % 250) + 2}`;
}

describe(CurrentPasswordVerifier.name, () => {
  let testApp: TestApp;
  let send: (request: AddressedRequest) => Promise<RawResponse>;

  beforeAll(async () => {
    testApp = await createTestApp({ LOGIN_MAX_ATTEMPTS: String(MAX_ATTEMPTS) });
    send = await addressedClient(testApp.app);
  });

  afterAll(async () => {
    await testApp.close();
  });

  /** A user signed in from `from`, with an access token for the password route. */
  async function signedIn(from: string): Promise<{ testUser: TestUser; accessToken: string }> {
    const testUser = await createUser(testApp.dataSource);
    const response = await send({
      path: '/api/v1/auth/login',
      from,
      body: { username: testUser.user.username, password: testUser.password },
    });
    expect(response.status).toBe(200);
    return { testUser, accessToken: (response.body as { access_token: string }).access_token };
  }

  const changePassword = (
    from: string,
    accessToken: string,
    body: Record<string, string>,
  ): Promise<RawResponse> =>
    send({
      path: '/api/v1/users/me/password',
      from,
      body,
      headers: { Authorization: `Bearer ${accessToken}` },
    });

  const loginFrom = (from: string, testUser: TestUser, password = testUser.password) =>
    send({
      path: '/api/v1/auth/login',
      from,
      body: { username: testUser.user.username, password },
    });

  function expectTooManyRequests(response: RawResponse): void {
    expect(response.status).toBe(429);
    expect(response.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(response.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  }

  describe('POST /users/me/password', () => {
    it('returns the same 400 for a refused new password, whether the current one is right or wrong', async () => {
      const from = freshAddress();
      const { testUser, accessToken } = await signedIn(from);
      const weak = `${testUser.user.username}-lantern-orbit`;

      const right = await changePassword(from, accessToken, {
        currentPassword: testUser.password,
        newPassword: weak,
      });
      const wrong = await changePassword(from, accessToken, {
        currentPassword: 'not the password at all',
        newPassword: weak,
      });

      expect(right.status).toBe(400);
      expect(wrong.status).toBe(400);
      expect(wrong.body).toEqual(right.body);
    });

    it('does not count a refused new password as a failed check of the current one', async () => {
      const from = freshAddress();
      const { testUser, accessToken } = await signedIn(from);

      for (let attempt = 0; attempt < MAX_ATTEMPTS + 2; attempt += 1) {
        const response = await changePassword(from, accessToken, {
          currentPassword: 'not the password at all',
          newPassword: 'password123',
        });
        expect(response.status).toBe(400);
      }

      const response = await changePassword(from, accessToken, {
        currentPassword: testUser.password,
        newPassword: NEW_PASSWORD,
      });
      expect(response.status).toBe(204);
    });

    it('counts wrong current passwords as failed logins of the account, then answers 429 with Retry-After', async () => {
      const { testUser, accessToken } = await signedIn(freshAddress());

      // Each guess from another address: only the account's count can stop them.
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
        const response = await changePassword(freshAddress(), accessToken, {
          currentPassword: `wrong guess ${attempt}`,
          newPassword: NEW_PASSWORD,
        });
        expect(response.status).toBe(403);
      }

      // Past the limit even the right password is refused unchecked, on this route and at login.
      expectTooManyRequests(
        await changePassword(freshAddress(), accessToken, {
          currentPassword: testUser.password,
          newPassword: NEW_PASSWORD,
        }),
      );
      expectTooManyRequests(await loginFrom(freshAddress(), testUser));
    });

    it('counts wrong current passwords on the address limit of logins', async () => {
      const from = freshAddress();
      const others = await Promise.all(
        Array.from({ length: MAX_ATTEMPTS }, () => signedIn(freshAddress())),
      );

      // One wrong guess per account, all from one address.
      for (const { accessToken } of others) {
        const response = await changePassword(from, accessToken, {
          currentPassword: 'wrong guess',
          newPassword: NEW_PASSWORD,
        });
        expect(response.status).toBe(403);
      }

      const bystander = await createUser(testApp.dataSource);
      expectTooManyRequests(await loginFrom(from, bystander));
      expect((await loginFrom(freshAddress(), bystander)).status).toBe(200);
    });

    it('does not count a right current password, and clears none of the failures before it', async () => {
      const { testUser, accessToken } = await signedIn(freshAddress());
      const wrongGuess = () =>
        changePassword(freshAddress(), accessToken, {
          currentPassword: 'wrong guess',
          newPassword: NEW_PASSWORD,
        });
      for (let attempt = 0; attempt < MAX_ATTEMPTS - 1; attempt += 1) {
        expect((await wrongGuess()).status).toBe(403);
      }

      const right = await changePassword(freshAddress(), accessToken, {
        currentPassword: testUser.password,
        newPassword: NEW_PASSWORD,
      });

      expect(right.status).toBe(204);
      // The earlier failures still count: one more reaches the limit.
      expect((await wrongGuess()).status).toBe(403);
      expectTooManyRequests(await loginFrom(freshAddress(), testUser, NEW_PASSWORD));
    });
  });
});
