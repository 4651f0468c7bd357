import { PasswordResetController } from '../src/account/password-reset.controller';
import { SecurityEvent } from '../src/security-events/security-event.entity';
import { bearer, login } from './support/auth-helpers';
import { addressedClient } from './support/client-address';
import { createUser, uniqueName, type TestUser } from './support/factories/user.factory';
import { createMailTestApp, tokenOf, type MailTestApp } from './support/mailbox';

const FORGOT = '/api/v1/auth/password/forgot';
const RESET = '/api/v1/auth/password/reset';
const NEW_PASSWORD = 'lantern orbit pickle granite';
const INVALID_TOKEN = 'This link is invalid, expired or already used';
const ACCEPTED = {
  message: 'If an account can use this address, a mail with a link is on its way',
};

describe(PasswordResetController.name, () => {
  let testApp: MailTestApp;

  beforeAll(async () => {
    testApp = await createMailTestApp({ LOGIN_MAX_ATTEMPTS: '3' });
  });

  afterAll(async () => {
    await testApp.close();
  });

  const forgot = (email: unknown) => testApp.http().post(FORGOT).send({ email });
  const reset = (token: unknown, newPassword: unknown = NEW_PASSWORD) =>
    testApp.http().post(RESET).send({ token, newPassword });
  const loginStatus = async (username: string, password: string): Promise<number> =>
    (await testApp.http().post('/api/v1/auth/login').send({ username, password })).status;

  /** Asks for a reset of the user's account and returns the token its mail carries. */
  const resetToken = async (testUser: TestUser): Promise<string> => {
    await forgot(testUser.user.email).expect(202);
    return tokenOf(await testApp.mailbox.next({ to: testUser.user.email, kind: 'password-reset' }));
  };

  describe('POST /auth/password/forgot', () => {
    it('answers 202 with one body for a known, an unknown and a disabled address', async () => {
      const known = await createUser(testApp.dataSource);
      const disabled = await createUser(testApp.dataSource, { isActive: false });
      const unknown = `${uniqueName('nobody')}@example.com`;

      const answers = await Promise.all(
        [known.user.email, unknown, disabled.user.email].map((email) => forgot(email)),
      );

      for (const answer of answers) {
        expect(answer.status).toBe(202);
        expect(answer.body).toEqual(ACCEPTED);
      }
      await testApp.mailbox.next({ to: known.user.email, kind: 'password-reset' });
      await testApp.settle();
      expect(testApp.mailbox.all({ to: unknown })).toEqual([]);
      expect(testApp.mailbox.all({ to: disabled.user.email })).toEqual([]);
    });

    it('mails a link to PASSWORD_RESET_URL with a URL-safe token of at least 128 bits', async () => {
      const testUser = await createUser(testApp.dataSource);

      // The address is matched case-insensitively, as login matches it.
      await forgot(testUser.user.email.toUpperCase()).expect(202);
      const mail = await testApp.mailbox.next({ to: testUser.user.email, kind: 'password-reset' });

      expect(mail.subject).toBe('Reset your password');
      const token = tokenOf(mail);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43,}$/);
      expect(mail.text).toContain(`http://localhost:3000/reset-password?token=${token}`);
      expect(mail.text).toContain('30 minutes');
      expect(mail.html).toContain(`href="http://localhost:3000/reset-password?token=${token}"`);
      // No other secret: nothing but the link's own token looks like one.
      expect(mail.text.match(/[A-Za-z0-9_-]{32,}/g)).toEqual([token]);
    });

    it('gives every request its own token and keeps earlier links valid', async () => {
      const testUser = await createUser(testApp.dataSource);

      const first = await resetToken(testUser);
      const second = await resetToken(testUser);

      expect(first).not.toBe(second);
      await reset(first).expect(204);
    });

    it.each([
      ['not an email', { email: 'not-an-email' }],
      ['a number', { email: 42 }],
      ['missing', {}],
      ['with an unknown field', { email: 'ada@example.com', extra: 1 }],
    ])('answers 400 for an email that is %s', async (_case, body) => {
      const response = await testApp.http().post(FORGOT).send(body);

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    });
  });

  describe('POST /auth/password/reset', () => {
    it('records password.reset_requested and password.reset for the account', async () => {
      const testUser = await createUser(testApp.dataSource);

      await reset(await resetToken(testUser)).expect(204);

      const events = await testApp.dataSource
        .getRepository(SecurityEvent)
        .find({ where: { userId: testUser.user.id }, order: { at: 'ASC' } });
      expect(events.map((event) => [event.type, event.actorId])).toEqual([
        ['password.reset_requested', null],
        ['password.reset', testUser.user.id],
      ]);
      expect(JSON.stringify(events)).not.toContain(NEW_PASSWORD);
    });

    it('changes the password, ends every session, and mails a notice', async () => {
      const testUser = await createUser(testApp.dataSource);
      const first = await login(testApp, testUser);
      const second = await login(testApp, testUser);
      const token = await resetToken(testUser);

      const response = await reset(token);

      expect(response.status).toBe(204);
      expect(await loginStatus(testUser.user.username, testUser.password)).toBe(401);
      expect(await loginStatus(testUser.user.username, NEW_PASSWORD)).toBe(200);
      for (const tokens of [first, second]) {
        await testApp.http().get('/api/v1/users/me').set(bearer(tokens.access_token)).expect(401);
        await testApp
          .http()
          .post('/api/v1/auth/refresh')
          .send({ refresh_token: tokens.refresh_token })
          .expect(401);
      }
      const notice = await testApp.mailbox.next({
        to: testUser.user.email,
        kind: 'password-changed',
      });
      expect(notice.subject).toBe('Your password was changed');
      expect(notice.text).not.toMatch(/token=|https?:\/\//);
    });

    it('marks the address verified: the link reached its mailbox', async () => {
      const testUser = await createUser(testApp.dataSource);

      await reset(await resetToken(testUser)).expect(204);

      const me = await testApp
        .http()
        .get('/api/v1/users/me')
        .set(bearer((await login(testApp, { ...testUser, password: NEW_PASSWORD })).access_token));
      expect(me.body.emailVerified).toBe(true);
    });

    it('refuses the token a second time, and kills the other reset links of the user', async () => {
      const testUser = await createUser(testApp.dataSource);
      const used = await resetToken(testUser);
      const other = await resetToken(testUser);

      await reset(used).expect(204);
      const again = await reset(used, 'another quite long phrase');
      const sibling = await reset(other, 'another quite long phrase');

      expect(again.status).toBe(400);
      expect(again.body).toEqual({ statusCode: 400, message: INVALID_TOKEN, error: 'Bad Request' });
      expect(sibling.status).toBe(400);
      expect(sibling.body.message).toBe(INVALID_TOKEN);
      expect(await loginStatus(testUser.user.username, NEW_PASSWORD)).toBe(200);
    });

    it('clears the failed-login count of the account', async () => {
      const testUser = await createUser(testApp.dataSource);
      const send = await addressedClient(testApp.app);
      // Each guess from its own address, so only the account's counter reaches the limit.
      const loginFrom = async (from: string, password: string): Promise<number> =>
        (
          await send({
            path: '/api/v1/auth/login',
            from,
            body: { username: testUser.user.username, password },
          })
        ).status;
      for (let attempt = 1; attempt <= 3; attempt += 1) {
        expect(await loginFrom(`127.0.4.${attempt}`, 'wrong guess 123')).toBe(401);
      }
      expect(await loginFrom('127.0.4.10', testUser.password)).toBe(429);

      await reset(await resetToken(testUser)).expect(204);

      expect(await loginFrom('127.0.4.11', NEW_PASSWORD)).toBe(200);
    });

    it('accepts exactly one of 10 concurrent resets with one token', async () => {
      const testUser = await createUser(testApp.dataSource);
      const token = await resetToken(testUser);

      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, index) => reset(token, `${NEW_PASSWORD} ${index}`)),
      );

      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses).toEqual([204, ...Array<number>(9).fill(400)]);
      const winner = answers.findIndex((answer) => answer.status === 204);
      expect(await loginStatus(testUser.user.username, `${NEW_PASSWORD} ${winner}`)).toBe(200);
    });

    it.each([
      ['an unknown token', 'A'.repeat(43)],
      ['an empty token', ''],
      ['a very long token', 'x'.repeat(20_000)],
      ['a token with other characters', '../../etc/passwd?token=<script>'],
    ])('answers 400 with the one message for %s', async (_case, token) => {
      const response = await reset(token);

      expect(response.status).toBe(400);
      expect(response.body.message).toBe(INVALID_TOKEN);
    });

    it.each([
      ['a number token', { token: 12345, newPassword: NEW_PASSWORD }],
      ['a missing token', { newPassword: NEW_PASSWORD }],
      ['a missing password', { token: 'abc' }],
      ['an unknown field', { token: 'abc', newPassword: NEW_PASSWORD, userId: 'x' }],
    ])('answers 400 for %s', async (_case, body) => {
      const response = await testApp.http().post(RESET).send(body);

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    });

    it('refuses a weak password or one containing the username, and keeps the link usable', async () => {
      const testUser = await createUser(testApp.dataSource);
      const token = await resetToken(testUser);

      const common = await reset(token, 'password123');
      const personal = await reset(token, `${testUser.user.username} is my name`);
      const tooLong = await reset(token, 'x'.repeat(73));

      expect(common.status).toBe(400);
      expect(common.body.message).toEqual([expect.stringMatching(/too common/)]);
      expect(personal.status).toBe(400);
      expect(personal.body.message).toEqual([
        'newPassword must not contain the email or the username',
      ]);
      expect(tooLong.status).toBe(400);
      await reset(token).expect(204);
    });

    it('refuses the token of an account disabled since', async () => {
      const testUser = await createUser(testApp.dataSource);
      const token = await resetToken(testUser);
      await testApp.dataSource
        .getRepository('User')
        .update({ id: testUser.user.id }, { isActive: false });

      const response = await reset(token);

      expect(response.status).toBe(400);
      expect(response.body.message).toBe(INVALID_TOKEN);
    });

    it('consumes nothing when the link itself is fetched with GET', async () => {
      const testUser = await createUser(testApp.dataSource);
      const token = await resetToken(testUser);

      // What a mail scanner does: follow the link, and try the API route with GET.
      const link = await testApp.http().get(`/reset-password?token=${token}`);
      const apiGet = await testApp.http().get(`${RESET}?token=${token}`);

      expect(link.status).toBe(404);
      expect([404, 405]).toContain(apiGet.status);
      await reset(token).expect(204);
    });
  });

  describe('with a short PASSWORD_RESET_TTL', () => {
    let shortLived: MailTestApp;

    beforeAll(async () => {
      shortLived = await createMailTestApp({ PASSWORD_RESET_TTL: '1s' });
    });

    afterAll(async () => {
      await shortLived.close();
    });

    it('refuses an expired token with the one message', async () => {
      const testUser = await createUser(shortLived.dataSource);
      await shortLived.http().post(FORGOT).send({ email: testUser.user.email }).expect(202);
      const mail = await shortLived.mailbox.next({ to: testUser.user.email });
      expect(mail.text).toContain('1 second');

      await new Promise((resolve) => setTimeout(resolve, 1_200));
      const response = await shortLived
        .http()
        .post(RESET)
        .send({ token: tokenOf(mail), newPassword: NEW_PASSWORD });

      expect(response.status).toBe(400);
      expect(response.body.message).toBe(INVALID_TOKEN);
    }, 15_000);
  });

  describe('rate limits', () => {
    const LIMIT = 3;
    let limited: MailTestApp;

    beforeAll(async () => {
      limited = await createMailTestApp({ AUTH_RATE_LIMIT: String(LIMIT) });
    });

    afterAll(async () => {
      await limited.close();
    });

    it('limits forgot per client address, with Retry-After', async () => {
      const send = await addressedClient(limited.app);
      const statuses: number[] = [];
      for (let request = 0; request <= LIMIT; request += 1) {
        const email = `${uniqueName('addr')}@example.com`;
        statuses.push((await send({ path: FORGOT, from: '127.0.2.1', body: { email } })).status);
      }
      const other = await send({
        path: FORGOT,
        from: '127.0.2.2',
        body: { email: `${uniqueName('addr')}@example.com` },
      });
      const refused = await send({
        path: FORGOT,
        from: '127.0.2.1',
        body: { email: 'x@example.com' },
      });

      expect(statuses).toEqual([202, 202, 202, 429]);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(other.status).toBe(202);
    });

    it('limits forgot per email across client addresses, known or not', async () => {
      const send = await addressedClient(limited.app);
      const known = await createUser(limited.dataSource);
      const unknown = `${uniqueName('nobody')}@example.com`;
      for (const email of [known.user.email, unknown]) {
        const statuses: number[] = [];
        for (let request = 0; request <= LIMIT; request += 1) {
          const from = `127.0.3.${request + 1 + (email === unknown ? 10 : 0)}`;
          statuses.push((await send({ path: FORGOT, from, body: { email } })).status);
        }
        expect(statuses).toEqual([202, 202, 202, 429]);
      }
    });

    it('limits reset per client address', async () => {
      const send = await addressedClient(limited.app);
      const statuses: number[] = [];
      for (let request = 0; request <= LIMIT; request += 1) {
        const body = { token: 'unknown', newPassword: NEW_PASSWORD };
        statuses.push((await send({ path: RESET, from: '127.0.2.3', body })).status);
      }

      expect(statuses).toEqual([400, 400, 400, 429]);
    });
  });
});
