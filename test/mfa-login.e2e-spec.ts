import { MfaLoginService } from '../src/mfa/mfa-login.service';
import { User } from '../src/users/user.entity';
import { bearer, login, type Tokens } from './support/auth-helpers';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser, type TestUser } from './support/factories/user.factory';
import {
  claimsOf,
  enableTotp,
  freezeMfaClock,
  totpCode,
  TOTP_STEP_MS,
  type EnabledFactor,
} from './support/mfa-helpers';

const LOGIN = '/api/v1/auth/login';
const LOGIN_MFA = '/api/v1/auth/login/mfa';

// Each test signs users in and sets factors up through the API (several bcrypt rounds), and one
// scans every table: more than Jest's default 5 s on a loaded machine.
jest.setTimeout(30_000);

interface MfaUser extends TestUser {
  factor: EnabledFactor;
}

describe(MfaLoginService.name, () => {
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

  async function mfaUser(app = testApp): Promise<MfaUser> {
    const testUser = await createUser(app.dataSource);
    return { ...testUser, factor: await enableTotp(app, testUser) };
  }

  /** The server's clock `steps` steps after the confirming code, and that step's code. */
  function codeAtStep(user: MfaUser, steps: number, app = testApp): string {
    const at = freezeMfaClock(app, user.factor.confirmedAtMs + steps * TOTP_STEP_MS);
    return totpCode(user.factor.secret, at);
  }

  async function mfaToken(user: TestUser, app = testApp, from = '127.0.0.1'): Promise<string> {
    const response = await app
      .http()
      .post(LOGIN)
      .set('X-Forwarded-For', from)
      .send({ username: user.user.username, password: user.password })
      .expect(403);
    return (response.body as { mfa_token: string }).mfa_token;
  }

  /** `from`: the client address, as a trusted proxy names it (the limited app trusts loopback). */
  function secondStep(token: string, code: string, app = testApp, from = '127.0.0.1') {
    return app.http().post(LOGIN_MFA).set('X-Forwarded-For', from).send({ mfa_token: token, code });
  }

  describe('POST /auth/login for a user with the factor on', () => {
    it('answers 403 mfa_required with a 5-minute mfa_token, from the form and from JSON', async () => {
      const user = await mfaUser();

      for (const type of ['form', 'json'] as const) {
        const response = await testApp
          .http()
          .post(LOGIN)
          .type(type)
          .send({ username: user.user.username, password: user.password })
          .expect(403);

        expect(response.body).toEqual({
          statusCode: 403,
          error: 'mfa_required',
          message: expect.any(String),
          // A token endpoint's error: RFC 6749 §5.2's description beside the code.
          error_description: expect.any(String),
          mfa_token: expect.stringMatching(/^[\w-]{43}$/),
          mfa_token_expires_in: 300,
        });
        expect(response.headers['cache-control']).toBe('no-store');
      }
    });

    it('still answers a wrong password with 401 and no mfa_token', async () => {
      const user = await mfaUser();

      const response = await testApp
        .http()
        .post(LOGIN)
        .send({ username: user.user.username, password: 'not the password' })
        .expect(401);

      expect(response.body).not.toHaveProperty('mfa_token');
    });

    it('completes both steps with a code in the login itself (JSON and form), amr pwd+otp', async () => {
      const user = await mfaUser();

      const json = await testApp
        .http()
        .post(LOGIN)
        .send({ username: user.user.username, password: user.password, code: codeAtStep(user, 1) })
        .expect(200);
      const form = await testApp
        .http()
        .post(LOGIN)
        .type('form')
        .send({ username: user.user.username, password: user.password, code: codeAtStep(user, 2) })
        .expect(200);

      for (const response of [json, form]) {
        expect(claimsOf((response.body as Tokens).access_token).amr).toEqual(['pwd', 'otp']);
      }
    });

    it('refuses a wrong code in the login itself with 401', async () => {
      const user = await mfaUser();
      const code = codeAtStep(user, 1);

      const response = await testApp
        .http()
        .post(LOGIN)
        .send({
          username: user.user.username,
          password: user.password,
          code: code === '000000' ? '111111' : '000000',
        })
        .expect(401);

      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.body).not.toHaveProperty('access_token');
    });

    it('refuses a non-string code in the login with 400', async () => {
      const user = await mfaUser();

      await testApp
        .http()
        .post(LOGIN)
        .send({ username: user.user.username, password: user.password, code: 123456 })
        .expect(400);
    });
  });

  describe('POST /auth/login/mfa', () => {
    it('answers tokens for the mfa_token and a TOTP code (JSON and form), amr pwd+otp', async () => {
      const user = await mfaUser();

      const json = await secondStep(await mfaToken(user), codeAtStep(user, 1)).expect(200);
      const form = await testApp
        .http()
        .post(LOGIN_MFA)
        .type('form')
        .send({ mfa_token: await mfaToken(user), code: codeAtStep(user, 2) })
        .expect(200);

      for (const response of [json, form]) {
        const tokens = response.body as Tokens;
        expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 900 });
        expect(response.headers['cache-control']).toBe('no-store');
        expect(claimsOf(tokens.access_token)).toMatchObject({
          sub: user.user.id,
          amr: ['pwd', 'otp'],
        });
        await testApp.http().get('/api/v1/users/me').set(bearer(tokens.access_token)).expect(200);
      }
    });

    it('keeps amr pwd+otp across a refresh, and gives a user without the factor amr pwd', async () => {
      const user = await mfaUser();
      const tokens = (await secondStep(await mfaToken(user), codeAtStep(user, 1)).expect(200))
        .body as Tokens;
      const plain = await login(testApp, await createUser(testApp.dataSource));

      const refreshed = await testApp
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refresh_token: tokens.refresh_token })
        .expect(200);

      expect(claimsOf((refreshed.body as Tokens).access_token).amr).toEqual(['pwd', 'otp']);
      expect(claimsOf(plain.access_token).amr).toEqual(['pwd']);
    });

    it('accepts a recovery code once', async () => {
      const user = await mfaUser();
      const [recoveryCode] = user.factor.recoveryCodes;

      await secondStep(await mfaToken(user), recoveryCode).expect(200);
      await secondStep(await mfaToken(user), recoveryCode).expect(401);
    });

    it('accepts a recovery code typed in upper case, without dashes', async () => {
      const user = await mfaUser();

      await secondStep(
        await mfaToken(user),
        user.factor.recoveryCodes[1].replace(/-/g, '').toUpperCase(),
      ).expect(200);
    });

    it.each([
      ['mfa_token missing', { code: '123456' }],
      ['code missing', { mfa_token: 'x' }],
      ['an empty body', {}],
      ['a number as code', { mfa_token: 'x', code: 123456 }],
      ['an unknown field', { mfa_token: 'x', code: '123456', extra: 'y' }],
    ])('answers 400 for %s', async (_what, body) => {
      await testApp.http().post(LOGIN_MFA).send(body).expect(400);
    });

    it('answers 401 for an unknown mfa_token, with WWW-Authenticate', async () => {
      const response = await secondStep('not-a-token', '123456').expect(401);

      expect(response.headers['www-authenticate']).toBe('Bearer');
    });

    it('answers 401 for a wrong code, and the mfa_token stays usable', async () => {
      const user = await mfaUser();
      const token = await mfaToken(user);
      const code = codeAtStep(user, 1);

      await secondStep(token, code === '000000' ? '111111' : '000000').expect(401);
      await secondStep(token, code).expect(200);
    });

    it('spends the mfa_token at its first success', async () => {
      const user = await mfaUser();
      const token = await mfaToken(user);

      await secondStep(token, codeAtStep(user, 1)).expect(200);
      await secondStep(token, codeAtStep(user, 2)).expect(401);
    });

    it('kills the mfa_token after 5 wrong codes: the right code then gets 401', async () => {
      const user = await mfaUser();
      const token = await mfaToken(user);
      const code = codeAtStep(user, 1);
      const wrong = code === '000000' ? '111111' : '000000';
      for (let attempt = 0; attempt < 5; attempt += 1) {
        await secondStep(token, wrong).expect(401);
      }

      await secondStep(token, code).expect(401);
      // The code was not spent on the dead token: a fresh one takes it.
      await secondStep(await mfaToken(user), code).expect(200);
    });

    it('refuses an mfa_token after its 5 minutes, without spending the code', async () => {
      const user = await mfaUser();
      freezeMfaClock(testApp, user.factor.confirmedAtMs + TOTP_STEP_MS);
      const token = await mfaToken(user);

      const late = user.factor.confirmedAtMs + TOTP_STEP_MS + 300_000 + 1_000;
      freezeMfaClock(testApp, late);
      const code = totpCode(user.factor.secret, late);
      await secondStep(token, code).expect(401);

      await secondStep(await mfaToken(user), code).expect(200);
    });

    it('neither checks nor spends a recovery code sent with a dead mfa_token', async () => {
      const user = await mfaUser();
      const token = await mfaToken(user);
      await secondStep(token, codeAtStep(user, 1)).expect(200);
      const [recoveryCode] = user.factor.recoveryCodes;

      await secondStep(token, recoveryCode).expect(401);

      await secondStep(await mfaToken(user), recoveryCode).expect(200);
    });

    it("binds the mfa_token to its user: another account's code gets 401 and is not spent", async () => {
      const alice = await mfaUser();
      const bob = await mfaUser();
      const aliceToken = await mfaToken(alice);
      const [bobRecoveryCode] = bob.factor.recoveryCodes;

      await secondStep(aliceToken, bobRecoveryCode).expect(401);
      await secondStep(aliceToken, codeAtStep(bob, 1)).expect(401);

      await secondStep(await mfaToken(bob), bobRecoveryCode).expect(200);
    });

    it('answers 401 when the account was disabled between the steps', async () => {
      const user = await mfaUser();
      const token = await mfaToken(user);
      await testApp.dataSource
        .getRepository(User)
        .update({ id: user.user.id }, { isActive: false });

      await secondStep(token, codeAtStep(user, 1)).expect(401);
    });
  });

  describe('the mfa_token is not a session', () => {
    it('is refused as a bearer token on guarded routes', async () => {
      const user = await mfaUser();
      const token = await mfaToken(user);

      for (const path of ['/api/v1/users/me', '/api/v1/users/me/sessions']) {
        const response = await testApp.http().get(path).set(bearer(token)).expect(401);
        expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
      }
    });

    it('never shows in GET /users/me/sessions', async () => {
      const user = await mfaUser();
      const sessions = () =>
        testApp
          .http()
          .get('/api/v1/users/me/sessions')
          .set(bearer(user.factor.tokens.access_token))
          .expect(200);
      const before = (await sessions()).body as unknown[];

      await mfaToken(user);
      await mfaToken(user);

      expect((await sessions()).body).toHaveLength(before.length);
    });
  });

  describe('codes', () => {
    it('refuses a TOTP code once accepted (replay), and any older code', async () => {
      const user = await mfaUser();
      const code = codeAtStep(user, 2);
      await secondStep(await mfaToken(user), code).expect(200);

      await secondStep(await mfaToken(user), code).expect(401);
      // One step older, still inside the drift window: refused, its step is behind.
      const at = user.factor.confirmedAtMs + 2 * TOTP_STEP_MS;
      await secondStep(
        await mfaToken(user),
        totpCode(user.factor.secret, at - TOTP_STEP_MS),
      ).expect(401);
    });

    it('accepts one step of drift either way, and no more', async () => {
      const user = await mfaUser();
      const now = freezeMfaClock(testApp, user.factor.confirmedAtMs + 10 * TOTP_STEP_MS);
      const code = (steps: number) => totpCode(user.factor.secret, now + steps * TOTP_STEP_MS);

      await secondStep(await mfaToken(user), code(-2)).expect(401);
      await secondStep(await mfaToken(user), code(-1)).expect(200);
      await secondStep(await mfaToken(user), code(+1)).expect(200);
      await secondStep(await mfaToken(user), code(+2)).expect(401);
    });

    it('gives one success to 10 concurrent uses of one recovery code', async () => {
      const user = await mfaUser();
      const tokens: string[] = [];
      for (let index = 0; index < 10; index += 1) {
        tokens.push(await mfaToken(user));
      }
      const [recoveryCode] = user.factor.recoveryCodes;

      const responses = await Promise.all(tokens.map((token) => secondStep(token, recoveryCode)));

      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([200, ...Array<number>(9).fill(401)]);
    });

    it('gives one success to 5 concurrent uses of one TOTP code', async () => {
      const user = await mfaUser();
      const tokens: string[] = [];
      for (let index = 0; index < 5; index += 1) {
        tokens.push(await mfaToken(user));
      }
      const code = codeAtStep(user, 1);

      const responses = await Promise.all(tokens.map((token) => secondStep(token, code)));

      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([200, 401, 401, 401, 401]);
    });
  });

  describe('with LOGIN_MAX_ATTEMPTS=3', () => {
    let limited: TestApp;

    beforeAll(async () => {
      // Each test plays a client address of its own, so the per-address count of one test
      // does not lock the next; the account count is what these tests are about.
      limited = await createTestApp({ LOGIN_MAX_ATTEMPTS: '3', TRUST_PROXY: 'loopback' });
    });

    afterAll(async () => {
      await limited.close();
    });

    it('counts wrong codes as failed logins: past the limit the right code and password get 429', async () => {
      const from = '203.0.113.1';
      const user = await mfaUser(limited);
      const token = await mfaToken(user, limited, from);
      const code = codeAtStep(user, 1, limited);
      const wrong = code === '000000' ? '111111' : '000000';
      for (let attempt = 0; attempt < 3; attempt += 1) {
        await secondStep(token, wrong, limited, from).expect(401);
      }

      // From other addresses, so that it is the account's count that refuses them.
      const locked = await secondStep(token, code, limited, '203.0.113.11').expect(429);
      expect(locked.headers['retry-after']).toMatch(/^\d+$/);
      await limited
        .http()
        .post(LOGIN)
        .set('X-Forwarded-For', '203.0.113.12')
        .send({ username: user.user.username, password: user.password, code })
        .expect(429);
    });

    it('does not reset the count on a right password: only the second factor does', async () => {
      const from = '203.0.113.2';
      const user = await mfaUser(limited);
      const code = codeAtStep(user, 1, limited);
      const wrong = code === '000000' ? '111111' : '000000';
      await secondStep(await mfaToken(user, limited, from), wrong, limited, from).expect(401);
      await secondStep(await mfaToken(user, limited, from), wrong, limited, from).expect(401);
      // Each login with the right password came between failures and wiped none of them.
      await secondStep(await mfaToken(user, limited, from), wrong, limited, from).expect(401);

      // A dead token is not an attempt: no code checked, nothing counted.
      await secondStep('any-token', code, limited, from).expect(401);
      // From another address: the account's own count (3) refuses the right password.
      await limited
        .http()
        .post(LOGIN)
        .set('X-Forwarded-For', '203.0.113.21')
        .send({ username: user.user.username, password: user.password })
        .expect(429);
    });

    it('clears the count once the second factor succeeds', async () => {
      const from = '203.0.113.3';
      // The address keeps its own count (a success gives back only its own point), so the
      // second round comes from another address: what is cleared is the account's count.
      const laterFrom = '203.0.113.4';
      const user = await mfaUser(limited);
      const code = codeAtStep(user, 1, limited);
      const wrong = code === '000000' ? '111111' : '000000';
      await secondStep(await mfaToken(user, limited, from), wrong, limited, from).expect(401);
      await secondStep(await mfaToken(user, limited, from), wrong, limited, from).expect(401);
      await secondStep(await mfaToken(user, limited, from), code, limited, from).expect(200);

      // Two more failures would have locked the account had its count not been cleared.
      const next = codeAtStep(user, 2, limited);
      for (const guess of [wrong, wrong, next]) {
        const token = await mfaToken(user, limited, laterFrom);
        await secondStep(token, guess, limited, laterFrom).expect(guess === next ? 200 : 401);
      }
    });
  });
});
