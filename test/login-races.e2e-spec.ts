import type { Response } from 'supertest';
import { AuthService } from '../src/auth/auth.service';
import { Role } from '../src/users/role.enum';
import { bearer, login, type Tokens } from './support/auth-helpers';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser, type TestUser } from './support/factories/user.factory';

const NEW_PASSWORD = 'lantern orbit pickle granite';
/** Each race runs this many rounds, or until the time budget is spent, whichever comes first. */
const ROUNDS = 50;
const BUDGET_MS = 20_000;
/** Logins fired per round, spread over the time the change takes, so that some land inside it. */
const LOGINS_PER_ROUND = 10;

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

describe(`${AuthService.name} login racing a change of the account`, () => {
  let testApp: TestApp;
  let admin: Tokens;

  beforeAll(async () => {
    // Every round fails some logins and refreshes from one address: keep the limits out of the way.
    testApp = await createTestApp({ LOGIN_MAX_ATTEMPTS: '1000000', AUTH_RATE_LIMIT: '1000000' });
    admin = await login(
      testApp,
      await createUser(testApp.dataSource, { roles: [Role.User, Role.Admin] }),
    );
  });

  afterAll(async () => {
    await testApp.close();
  });

  const loginWithPassword = (testUser: TestUser): Promise<Response> =>
    testApp
      .http()
      .post('/api/v1/auth/login')
      .type('form')
      .send({ username: testUser.user.username, password: testUser.password });

  /** Runs `work` and reports how long it took. */
  async function timed<T>(work: () => Promise<T>, took: (ms: number) => void): Promise<T> {
    const started = Date.now();
    const result = await work();
    took(Date.now() - started);
    return result;
  }

  /**
   * Runs a change of the account against logins with the user's current password, round after
   * round, and returns every login's answer. `prepare` readies one round's change (a fresh user)
   * and returns it. The logins are spread evenly over a window as long as a login and the change
   * together (as measured in the round before) and the change starts at a random point in it, so
   * across the rounds logins read the account just before, during and after the change.
   */
  async function race(
    prepare: (testUser: TestUser) => Promise<() => Promise<Response>>,
    expectedChangeStatus: number,
    afterRound: (testUser: TestUser, logins: Response[]) => Promise<void>,
  ): Promise<Response[]> {
    const started = Date.now();
    const all: Response[] = [];
    let changeMs = 10;
    let loginMs = 10;
    for (let round = 0; round < ROUNDS && Date.now() - started < BUDGET_MS; round += 1) {
      const testUser = await createUser(testApp.dataSource);
      const change = await prepare(testUser);
      const window = changeMs + loginMs;
      const logins = Array.from({ length: LOGINS_PER_ROUND }, async (_, index) => {
        await sleep((index * window) / LOGINS_PER_ROUND);
        return timed(
          () => loginWithPassword(testUser),
          (ms) => (loginMs = ms),
        );
      });
      const [changed, ...answers] = await Promise.all([
        sleep(Math.random() * window).then(() => timed(change, (ms) => (changeMs = ms))),
        ...logins,
      ]);
      expect(changed.status).toBe(expectedChangeStatus);
      await afterRound(testUser, answers);
      all.push(...answers);
    }
    return all;
  }

  /** Neither the access token nor the refresh token of a login that raced the change works. */
  async function expectDead(logins: Response[]): Promise<void> {
    for (const answer of logins.filter((response) => response.status === 200)) {
      const tokens = answer.body as Tokens;
      const me = await testApp.http().get('/api/v1/users/me').set(bearer(tokens.access_token));
      expect(me.status).toBe(401);
      const refreshed = await testApp
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refresh_token: tokens.refresh_token });
      expect(refreshed.status).toBe(401);
    }
  }

  const statusesOf = (responses: Response[]): Set<number> =>
    new Set(responses.map((response) => response.status));

  it('leaves no working session to a login that read the password being changed', async () => {
    const answers = await race(
      async (testUser) => {
        const own = await login(testApp, testUser);
        return () =>
          testApp
            .http()
            .post('/api/v1/users/me/password')
            .set(bearer(own.access_token))
            .send({ currentPassword: testUser.password, newPassword: NEW_PASSWORD });
      },
      204,
      (_testUser, logins) => expectDead(logins),
    );

    expect([...statusesOf(answers)].every((status) => [200, 401].includes(status))).toBe(true);
    // The race was run on both sides of the change: some logins came before it, some after.
    expect(statusesOf(answers)).toEqual(new Set([200, 401]));
  }, 60_000);

  it('leaves no working session to a login racing a disable, even once re-enabled', async () => {
    const answers = await race(
      (testUser) =>
        Promise.resolve(() =>
          testApp
            .http()
            .patch(`/api/v1/users/${testUser.user.id}`)
            .set(bearer(admin.access_token))
            .send({ isActive: false }),
        ),
      200,
      async (testUser, logins) => {
        await testApp
          .http()
          .patch(`/api/v1/users/${testUser.user.id}`)
          .set(bearer(admin.access_token))
          .send({ isActive: true })
          .expect(200);
        await expectDead(logins);
      },
    );

    expect([...statusesOf(answers)].every((status) => [200, 403].includes(status))).toBe(true);
    expect(statusesOf(answers)).toEqual(new Set([200, 403]));
  }, 60_000);

  it('answers 200 or 401, never 500, to logins racing a delete, and leaves no session', async () => {
    const answers = await race(
      (testUser) =>
        Promise.resolve(() =>
          testApp
            .http()
            .delete(`/api/v1/users/${testUser.user.id}`)
            .set(bearer(admin.access_token)),
        ),
      204,
      (_testUser, logins) => expectDead(logins),
    );

    expect([...statusesOf(answers)].every((status) => [200, 401].includes(status))).toBe(true);
    expect(statusesOf(answers)).toEqual(new Set([200, 401]));
  }, 60_000);
});
