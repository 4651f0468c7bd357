import { MfaSettingsService } from '../src/mfa/mfa-settings.service';
import { TotpFactor } from '../src/mfa/totp-factor.entity';
import { Role } from '../src/users/role.enum';
import { bearer, login, type Tokens } from './support/auth-helpers';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser, type TestUser } from './support/factories/user.factory';
import {
  enableTotp,
  freezeMfaClock,
  middleOfCurrentStep,
  totpCode,
  TOTP_STEP_MS,
} from './support/mfa-helpers';

const SETUP = '/api/v1/users/me/mfa/totp/setup';
const CONFIRM = '/api/v1/users/me/mfa/totp/confirm';
const RECOVERY_CODES = '/api/v1/users/me/mfa/recovery-codes';
const DISABLE = '/api/v1/users/me/mfa/disable';
const LOGIN = '/api/v1/auth/login';

// Each test signs users in and sets factors up through the API (several bcrypt rounds), and one
// scans every table: more than Jest's default 5 s on a loaded machine.
jest.setTimeout(30_000);

const otherCode = (code: string): string => (code === '000000' ? '111111' : '000000');

describe(MfaSettingsService.name, () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp({ LOGIN_MAX_ATTEMPTS: '1000' });
  });

  afterAll(async () => {
    await testApp.close();
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  const post = (path: string, tokens: Tokens, body: object) =>
    testApp.http().post(path).set(bearer(tokens.access_token)).send(body);

  async function signedIn(): Promise<TestUser & { tokens: Tokens }> {
    const testUser = await createUser(testApp.dataSource);
    return { ...testUser, tokens: await login(testApp, testUser) };
  }

  async function setup(user: TestUser & { tokens: Tokens }): Promise<string> {
    const response = await post(SETUP, user.tokens, { currentPassword: user.password }).expect(200);
    return (response.body as { secret: string }).secret;
  }

  describe('POST /users/me/mfa/totp/setup', () => {
    it('answers a base32 seed of at least 160 bits and its otpauth URI, not cached', async () => {
      const user = await signedIn();

      const response = await post(SETUP, user.tokens, { currentPassword: user.password }).expect(
        200,
      );

      const { secret, otpauthUrl } = response.body as { secret: string; otpauthUrl: string };
      expect(Object.keys(response.body as object).sort()).toEqual(['otpauthUrl', 'secret']);
      expect(secret).toMatch(/^[A-Z2-7]{32,}=*$/);
      const url = new URL(otpauthUrl);
      expect(url.protocol).toBe('otpauth:');
      expect(url.host).toBe('totp');
      expect(decodeURIComponent(url.pathname)).toContain(user.user.email);
      expect(url.searchParams.get('secret')).toBe(secret);
      expect(url.searchParams.get('issuer')).toBe('nest-auth');
      expect(url.searchParams.get('digits')).toBe('6');
      expect(url.searchParams.get('period')).toBe('30');
      expect(url.searchParams.get('algorithm')).toBe('SHA1');
      expect(response.headers['cache-control']).toBe('no-store');
    });

    it('leaves the factor off until confirmed', async () => {
      const user = await signedIn();
      await setup(user);

      const me = await testApp.http().get('/api/v1/users/me').set(bearer(user.tokens.access_token));
      expect(me.body).toMatchObject({ mfaEnabled: false });
      await testApp
        .http()
        .post(LOGIN)
        .send({ username: user.user.username, password: user.password })
        .expect(200);
    });

    it('replaces a pending seed: only the newest one confirms', async () => {
      const user = await signedIn();
      const first = await setup(user);
      const second = await setup(user);
      const now = freezeMfaClock(testApp);

      expect(second).not.toBe(first);
      await post(CONFIRM, user.tokens, { code: totpCode(first, now) }).expect(400);
      await post(CONFIRM, user.tokens, { code: totpCode(second, now) }).expect(200);
    });

    it('answers 403 for a wrong current password', async () => {
      const user = await signedIn();

      const response = await post(SETUP, user.tokens, { currentPassword: 'wrong password' }).expect(
        403,
      );

      expect(response.body).not.toHaveProperty('secret');
    });

    it('answers 409 when the factor is already on', async () => {
      const user = await createUser(testApp.dataSource);
      const { tokens } = await enableTotp(testApp, user);

      await post(SETUP, tokens, { currentPassword: user.password }).expect(409);
    });

    it.each([
      ['no currentPassword', {}],
      ['a number', { currentPassword: 12345678 }],
      ['an unknown field', { currentPassword: 'x', secret: 'JBSWY3DPEHPK3PXP' }],
    ])('answers 400 for %s', async (_what, body) => {
      const user = await signedIn();

      await post(SETUP, user.tokens, body).expect(400);
    });

    it('answers 401 without a token', async () => {
      await testApp.http().post(SETUP).send({ currentPassword: 'x' }).expect(401);
    });
  });

  describe('POST /users/me/mfa/totp/confirm', () => {
    it('turns the factor on with 10 distinct recovery codes shown once, not cached', async () => {
      const user = await signedIn();
      const secret = await setup(user);
      const now = freezeMfaClock(testApp);

      const response = await post(CONFIRM, user.tokens, { code: totpCode(secret, now) }).expect(
        200,
      );

      const { recoveryCodes } = response.body as { recoveryCodes: string[] };
      expect(recoveryCodes).toHaveLength(10);
      expect(new Set(recoveryCodes).size).toBe(10);
      for (const code of recoveryCodes) {
        expect(code).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
      }
      expect(response.headers['cache-control']).toBe('no-store');
      const me = await testApp.http().get('/api/v1/users/me').set(bearer(user.tokens.access_token));
      expect(me.body).toMatchObject({ mfaEnabled: true });
    });

    it('ends every other session of the user, and keeps the current one', async () => {
      const user = await signedIn();
      const other = await login(testApp, user);
      const stranger = await signedIn();
      const secret = await setup(user);

      await post(CONFIRM, user.tokens, { code: totpCode(secret) }).expect(200);

      await testApp.http().get('/api/v1/users/me').set(bearer(other.access_token)).expect(401);
      await testApp
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refresh_token: other.refresh_token })
        .expect(401);
      await testApp
        .http()
        .get('/api/v1/users/me')
        .set(bearer(user.tokens.access_token))
        .expect(200);
      await testApp
        .http()
        .get('/api/v1/users/me')
        .set(bearer(stranger.tokens.access_token))
        .expect(200);
      const sessions = await testApp
        .http()
        .get('/api/v1/users/me/sessions')
        .set(bearer(user.tokens.access_token))
        .expect(200);
      expect(sessions.body).toHaveLength(1);
    });

    it('accepts a code one step early or late, not two', async () => {
      const now = middleOfCurrentStep();
      for (const [steps, status] of [
        [-2, 400],
        [-1, 200],
        [1, 200],
        [2, 400],
      ] as const) {
        const user = await signedIn();
        const secret = await setup(user);
        freezeMfaClock(testApp, now);

        await post(CONFIRM, user.tokens, {
          code: totpCode(secret, now + steps * TOTP_STEP_MS),
        }).expect(status);
      }
    });

    it('answers 400 for a wrong code, and the factor stays off', async () => {
      const user = await signedIn();
      const secret = await setup(user);
      const now = freezeMfaClock(testApp);

      await post(CONFIRM, user.tokens, { code: otherCode(totpCode(secret, now)) }).expect(400);

      const me = await testApp.http().get('/api/v1/users/me').set(bearer(user.tokens.access_token));
      expect(me.body).toMatchObject({ mfaEnabled: false });
    });

    it('answers 400 when there is no pending setup, or the factor is already on', async () => {
      const user = await signedIn();
      await post(CONFIRM, user.tokens, { code: '123456' }).expect(400);

      const enabled = await createUser(testApp.dataSource);
      const factor = await enableTotp(testApp, enabled);
      const later = freezeMfaClock(testApp, factor.confirmedAtMs + TOTP_STEP_MS);
      await post(CONFIRM, factor.tokens, { code: totpCode(factor.secret, later) }).expect(400);
    });

    it.each([
      ['no code', {}],
      ['a number', { code: 123456 }],
    ])('answers 400 for %s', async (_what, body) => {
      const user = await signedIn();

      await post(CONFIRM, user.tokens, body).expect(400);
    });
  });

  describe('POST /users/me/mfa/recovery-codes', () => {
    it('answers 10 new codes; the old ones stop working and the new ones work', async () => {
      const user = await createUser(testApp.dataSource);
      const factor = await enableTotp(testApp, user);
      const at = freezeMfaClock(testApp, factor.confirmedAtMs + TOTP_STEP_MS);

      const response = await post(RECOVERY_CODES, factor.tokens, {
        currentPassword: user.password,
        code: totpCode(factor.secret, at),
      }).expect(200);

      const { recoveryCodes } = response.body as { recoveryCodes: string[] };
      expect(recoveryCodes).toHaveLength(10);
      expect(recoveryCodes.filter((code) => factor.recoveryCodes.includes(code))).toEqual([]);
      const loginWith = (code: string) =>
        testApp
          .http()
          .post(LOGIN)
          .send({ username: user.user.username, password: user.password, code });
      await loginWith(factor.recoveryCodes[0]).expect(401);
      await loginWith(recoveryCodes[0]).expect(200);
    });

    it('checks the code before the password: a wrong code is 400 even with a wrong password', async () => {
      const user = await createUser(testApp.dataSource);
      const factor = await enableTotp(testApp, user);
      const at = freezeMfaClock(testApp, factor.confirmedAtMs + TOTP_STEP_MS);

      await post(RECOVERY_CODES, factor.tokens, {
        currentPassword: 'wrong password',
        code: otherCode(totpCode(factor.secret, at)),
      }).expect(400);
    });

    it('answers 403 for a wrong password with a right code, and does not spend the code', async () => {
      const user = await createUser(testApp.dataSource);
      const factor = await enableTotp(testApp, user);
      const code = totpCode(
        factor.secret,
        freezeMfaClock(testApp, factor.confirmedAtMs + TOTP_STEP_MS),
      );

      await post(RECOVERY_CODES, factor.tokens, { currentPassword: 'wrong password', code }).expect(
        403,
      );
      await post(RECOVERY_CODES, factor.tokens, { currentPassword: user.password, code }).expect(
        200,
      );
    });

    it('takes a TOTP code only: a recovery code is a 400 here', async () => {
      const user = await createUser(testApp.dataSource);
      const factor = await enableTotp(testApp, user);

      await post(RECOVERY_CODES, factor.tokens, {
        currentPassword: user.password,
        code: factor.recoveryCodes[0],
      }).expect(400);
    });

    it('answers 400 when the factor is off', async () => {
      const user = await signedIn();

      await post(RECOVERY_CODES, user.tokens, {
        currentPassword: user.password,
        code: '123456',
      }).expect(400);
    });
  });

  describe('POST /users/me/mfa/disable', () => {
    it('turns the factor off with a TOTP code: 204, and logins need the password only', async () => {
      const user = await createUser(testApp.dataSource);
      const factor = await enableTotp(testApp, user);
      const at = freezeMfaClock(testApp, factor.confirmedAtMs + TOTP_STEP_MS);

      await post(DISABLE, factor.tokens, {
        currentPassword: user.password,
        code: totpCode(factor.secret, at),
      }).expect(204);

      const me = await testApp
        .http()
        .get('/api/v1/users/me')
        .set(bearer(factor.tokens.access_token));
      expect(me.body).toMatchObject({ mfaEnabled: false });
      await testApp
        .http()
        .post(LOGIN)
        .send({ username: user.user.username, password: user.password })
        .expect(200);
    });

    it('turns the factor off with a recovery code (a lost device)', async () => {
      const user = await createUser(testApp.dataSource);
      const factor = await enableTotp(testApp, user);

      await post(DISABLE, factor.tokens, {
        currentPassword: user.password,
        code: factor.recoveryCodes[3],
      }).expect(204);
    });

    it('answers 400 for a wrong code whatever the password, then 403 for a wrong password', async () => {
      const user = await createUser(testApp.dataSource);
      const factor = await enableTotp(testApp, user);
      const code = totpCode(
        factor.secret,
        freezeMfaClock(testApp, factor.confirmedAtMs + TOTP_STEP_MS),
      );

      await post(DISABLE, factor.tokens, {
        currentPassword: 'wrong',
        code: otherCode(code),
      }).expect(400);
      await post(DISABLE, factor.tokens, {
        currentPassword: user.password,
        code: 'aaaa-bbbb-cccc-dddd',
      }).expect(400);
      await post(DISABLE, factor.tokens, { currentPassword: 'wrong', code }).expect(403);
      const me = await testApp
        .http()
        .get('/api/v1/users/me')
        .set(bearer(factor.tokens.access_token));
      expect(me.body).toMatchObject({ mfaEnabled: true });
    });

    it('lets the user set the factor up again afterwards, with a new seed', async () => {
      const user = await createUser(testApp.dataSource);
      const factor = await enableTotp(testApp, user);
      await post(DISABLE, factor.tokens, {
        currentPassword: user.password,
        code: factor.recoveryCodes[0],
      }).expect(204);

      const again = await post(SETUP, factor.tokens, { currentPassword: user.password }).expect(
        200,
      );

      expect((again.body as { secret: string }).secret).not.toBe(factor.secret);
    });
  });

  describe('PATCH /users/:id {mfaEnabled} (admin)', () => {
    it('turns a user’s factor off with false (lost device); true is a 400', async () => {
      const admin = await createUser(testApp.dataSource, { roles: [Role.User, Role.Admin] });
      const adminTokens = await login(testApp, admin);
      const user = await createUser(testApp.dataSource);
      const factor = await enableTotp(testApp, user);
      const patch = (body: object) =>
        testApp
          .http()
          .patch(`/api/v1/users/${user.user.id}`)
          .set(bearer(adminTokens.access_token))
          .send(body);

      await patch({ mfaEnabled: true }).expect(400);
      await patch({ mfaEnabled: 'false' }).expect(400);
      const response = await patch({ mfaEnabled: false }).expect(200);

      expect(response.body).toMatchObject({ id: user.user.id, mfaEnabled: false });
      await testApp
        .http()
        .post(LOGIN)
        .send({ username: user.user.username, password: user.password })
        .expect(200);
      // The old recovery codes are dead with the factor, and a new setup is possible.
      await post(DISABLE, factor.tokens, {
        currentPassword: user.password,
        code: factor.recoveryCodes[0],
      }).expect(400);
      await post(SETUP, factor.tokens, { currentPassword: user.password }).expect(200);
    });

    it('is refused to a user who is not an admin', async () => {
      const user = await signedIn();

      await testApp
        .http()
        .patch(`/api/v1/users/${user.user.id}`)
        .set(bearer(user.tokens.access_token))
        .send({ mfaEnabled: false })
        .expect(403);
    });
  });

  describe('what the database keeps', () => {
    it('holds neither the seed nor any recovery code nor the mfa_token in clear, in any text column', async () => {
      const user = await createUser(testApp.dataSource);
      const factor = await enableTotp(testApp, user);
      const challenge = await testApp
        .http()
        .post(LOGIN)
        .send({ username: user.user.username, password: user.password })
        .expect(403);
      const mfaToken = (challenge.body as { mfa_token: string }).mfa_token;
      const secrets = [
        factor.secret,
        factor.secret.toLowerCase(),
        mfaToken,
        ...factor.recoveryCodes,
        ...factor.recoveryCodes.map((code) => code.replace(/-/g, '')),
      ];

      let cells = 0;
      for (const entity of testApp.dataSource.entityMetadatas) {
        const rows = await testApp.dataSource.query<Record<string, unknown>[]>(
          `SELECT * FROM "${entity.tableName}"`,
        );
        for (const row of rows) {
          for (const value of Object.values(row)) {
            if (typeof value !== 'string') {
              continue;
            }
            cells += 1;
            for (const secret of secrets) {
              expect(value.toLowerCase()).not.toContain(secret.toLowerCase());
            }
          }
        }
      }
      expect(cells).toBeGreaterThan(0);
      const seedRow = await testApp.dataSource
        .getRepository(TotpFactor)
        .findOneByOrFail({ userId: user.user.id });
      expect(seedRow.encryptedSecret).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    });
  });

  describe('with LOGIN_MAX_ATTEMPTS=3: failures count as failed logins of the account', () => {
    let limited: TestApp;

    beforeAll(async () => {
      limited = await createTestApp({ LOGIN_MAX_ATTEMPTS: '3', TRUST_PROXY: 'loopback' });
    });

    afterAll(async () => {
      await limited.close();
    });

    /** Each test its own client address: the account's count is what is checked. */
    const postFrom = (from: string, path: string, tokens: Tokens, body: object) =>
      limited
        .http()
        .post(path)
        .set('X-Forwarded-For', from)
        .set(bearer(tokens.access_token))
        .send(body);

    const loginFrom = (from: string, user: TestUser) =>
      limited
        .http()
        .post(LOGIN)
        .set('X-Forwarded-For', from)
        .send({ username: user.user.username, password: user.password });

    it('counts wrong current passwords: then the route and the login get 429', async () => {
      const user = await createUser(limited.dataSource);
      const tokens = await login(limited, user);
      for (let attempt = 0; attempt < 3; attempt += 1) {
        await postFrom('203.0.113.31', SETUP, tokens, { currentPassword: 'wrong' }).expect(403);
      }

      const locked = await postFrom('203.0.113.32', SETUP, tokens, {
        currentPassword: user.password,
      }).expect(429);
      expect(locked.headers['retry-after']).toMatch(/^\d+$/);
      await loginFrom('203.0.113.33', user).expect(429);
    });

    it('counts wrong codes: three wrong confirmations lock the account', async () => {
      const user = await createUser(limited.dataSource);
      const tokens = await login(limited, user);
      const secret = (
        await postFrom('203.0.113.41', SETUP, tokens, { currentPassword: user.password }).expect(
          200,
        )
      ).body as { secret: string };
      const now = freezeMfaClock(limited);
      const wrong = otherCode(totpCode(secret.secret, now));
      for (let attempt = 0; attempt < 3; attempt += 1) {
        await postFrom('203.0.113.41', CONFIRM, tokens, { code: wrong }).expect(400);
      }

      await loginFrom('203.0.113.42', user).expect(429);
    });

    it('gives a successful request its attempt back', async () => {
      const user = await createUser(limited.dataSource);
      const tokens = await login(limited, user);
      for (let attempt = 0; attempt < 4; attempt += 1) {
        await postFrom('203.0.113.51', SETUP, tokens, { currentPassword: user.password }).expect(
          200,
        );
      }

      await loginFrom('203.0.113.52', user).expect(200);
    });
  });
});
