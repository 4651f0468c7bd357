import { SecurityEvent } from '../src/security-events/security-event.entity';
import { EmailChangeController } from '../src/account/email-change.controller';
import { User } from '../src/users/user.entity';
import { bearer, login, type Tokens } from './support/auth-helpers';
import { addressedClient } from './support/client-address';
import { createUser, uniqueName, type TestUser } from './support/factories/user.factory';
import { createMailTestApp, tokenOf, type MailTestApp } from './support/mailbox';

const CHANGE = '/api/v1/users/me/email';
const CONFIRM = '/api/v1/auth/email/change/confirm';
const INVALID_TOKEN = 'This link is invalid, expired or already used';

describe(EmailChangeController.name, () => {
  let testApp: MailTestApp;

  beforeAll(async () => {
    testApp = await createMailTestApp({ LOGIN_MAX_ATTEMPTS: '3' });
  });

  afterAll(async () => {
    await testApp.close();
  });

  const newAddress = (): string => `${uniqueName('new')}@example.org`;
  const requestChange = (tokens: Tokens, body: Record<string, unknown>) =>
    testApp.http().post(CHANGE).set(bearer(tokens.access_token)).send(body);
  const confirm = (token: unknown) => testApp.http().post(CONFIRM).send({ token });
  const stored = (testUser: TestUser) =>
    testApp.dataSource.getRepository(User).findOneByOrFail({ id: testUser.user.id });

  /** Signs in, asks to move to a new address, and returns the token mailed there. */
  const changeToken = async (testUser: TestUser, newEmail: string): Promise<string> => {
    const tokens = await login(testApp, testUser);
    await requestChange(tokens, { newEmail, currentPassword: testUser.password }).expect(202);
    return tokenOf(await testApp.mailbox.next({ to: newEmail, kind: 'email-change' }));
  };

  it('records email.change_requested and email.changed for the account', async () => {
    const testUser = await createUser(testApp.dataSource);

    await confirm(await changeToken(testUser, newAddress())).expect(204);

    const events = await testApp.dataSource
      .getRepository(SecurityEvent)
      .find({ where: { userId: testUser.user.id }, order: { at: 'ASC' } });
    expect(
      events
        .filter((event) => event.type.startsWith('email.'))
        .map((event) => [event.type, event.actorId]),
    ).toEqual([
      ['email.change_requested', testUser.user.id],
      ['email.changed', testUser.user.id],
    ]);
  });

  describe('POST /users/me/email', () => {
    it('mails a link to the new address and a notice without one to the current address', async () => {
      const testUser = await createUser(testApp.dataSource);
      const tokens = await login(testApp, testUser);
      const newEmail = newAddress();

      const response = await requestChange(tokens, {
        newEmail,
        currentPassword: testUser.password,
      });

      expect(response.status).toBe(202);
      const link = await testApp.mailbox.next({ to: newEmail, kind: 'email-change' });
      const token = tokenOf(link);
      expect(link.text).toContain(`http://localhost:3000/confirm-email?token=${token}`);
      const notice = await testApp.mailbox.next({
        to: testUser.user.email,
        kind: 'email-change-notice',
      });
      expect(notice.text).toContain(newEmail);
      expect(notice.text).not.toMatch(/token=|https?:\/\//);
      expect(notice.html).not.toMatch(/href=/);
      expect(notice.text).not.toContain(token);
      // Nothing changes until the new address is confirmed.
      expect((await stored(testUser)).email).toBe(testUser.user.email);
    });

    it('answers 403 to a wrong current password and counts it as a failed login', async () => {
      const testUser = await createUser(testApp.dataSource);
      const tokens = await login(testApp, testUser);
      const send = await addressedClient(testApp.app);

      const statuses: number[] = [];
      for (let attempt = 1; attempt <= 3; attempt += 1) {
        const response = await send({
          path: CHANGE,
          from: `127.0.6.${attempt}`,
          headers: bearer(tokens.access_token),
          body: { newEmail: newAddress(), currentPassword: 'wrong guess 123' },
        });
        statuses.push(response.status);
      }
      const loginAfter = await send({
        path: '/api/v1/auth/login',
        from: '127.0.6.10',
        body: { username: testUser.user.username, password: testUser.password },
      });

      expect(statuses).toEqual([403, 403, 403]);
      expect(loginAfter.status).toBe(429);
      await testApp.settle();
      expect(testApp.mailbox.all({ to: testUser.user.email })).toEqual([]);
    });

    it('checks the body before the password: 400 whatever the password', async () => {
      const testUser = await createUser(testApp.dataSource);
      const tokens = await login(testApp, testUser);

      const answers = await Promise.all([
        requestChange(tokens, { newEmail: 'not-an-email', currentPassword: 'wrong guess 123' }),
        requestChange(tokens, { newEmail: 42, currentPassword: testUser.password }),
        requestChange(tokens, { currentPassword: testUser.password }),
        requestChange(tokens, { newEmail: newAddress() }),
        requestChange(tokens, { newEmail: newAddress(), currentPassword: 'x', extra: true }),
        requestChange(tokens, {
          newEmail: testUser.user.email.toUpperCase(),
          currentPassword: 'wrong guess 123',
        }),
      ]);

      expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400, 400, 400, 400]);
    });

    it('answers 409 when another account has the new address (any case)', async () => {
      const testUser = await createUser(testApp.dataSource);
      const other = await createUser(testApp.dataSource);
      const tokens = await login(testApp, testUser);

      const response = await requestChange(tokens, {
        newEmail: other.user.email.toUpperCase(),
        currentPassword: testUser.password,
      });

      expect(response.status).toBe(409);
      expect(response.body.message).toBe('Email is already taken');
    });

    it('answers 401 without a token', async () => {
      const response = await testApp
        .http()
        .post(CHANGE)
        .send({ newEmail: newAddress(), currentPassword: 'whatever it is' });

      expect(response.status).toBe(401);
    });
  });

  describe('POST /auth/email/change/confirm', () => {
    it('moves the account to the new address, verified, and leaves sessions alone', async () => {
      const testUser = await createUser(testApp.dataSource);
      const session = await login(testApp, testUser);
      const newEmail = newAddress();
      const token = await changeToken(testUser, newEmail);

      const response = await confirm(token);

      expect(response.status).toBe(204);
      expect(response.headers['set-cookie']).toBeUndefined();
      const me = await testApp.http().get('/api/v1/users/me').set(bearer(session.access_token));
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ email: newEmail, emailVerified: true });
      await testApp
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refresh_token: session.refresh_token })
        .expect(200);
      const loginByNewEmail = await testApp
        .http()
        .post('/api/v1/auth/login')
        .send({ username: newEmail, password: testUser.password });
      expect(loginByNewEmail.status).toBe(200);
    });

    it('refuses the token a second time, and an unknown one, with one message', async () => {
      const testUser = await createUser(testApp.dataSource);
      const token = await changeToken(testUser, newAddress());
      await confirm(token).expect(204);

      const answers = await Promise.all([confirm(token), confirm('unknown'), confirm('')]);

      for (const answer of answers) {
        expect(answer.status).toBe(400);
        expect(answer.body.message).toBe(INVALID_TOKEN);
      }
    });

    it('kills the links mailed to the old address (a reset sent there)', async () => {
      const testUser = await createUser(testApp.dataSource);
      await testApp
        .http()
        .post('/api/v1/auth/password/forgot')
        .send({ email: testUser.user.email })
        .expect(202);
      const resetToken = tokenOf(
        await testApp.mailbox.next({ to: testUser.user.email, kind: 'password-reset' }),
      );

      await confirm(await changeToken(testUser, newAddress())).expect(204);
      const reset = await testApp
        .http()
        .post('/api/v1/auth/password/reset')
        .send({ token: resetToken, newPassword: 'lantern orbit pickle granite' });

      expect(reset.status).toBe(400);
      expect(reset.body.message).toBe(INVALID_TOKEN);
    });

    it('answers 409 when the address was taken in the meantime, and changes nothing', async () => {
      const testUser = await createUser(testApp.dataSource);
      const newEmail = newAddress();
      const token = await changeToken(testUser, newEmail);
      await createUser(testApp.dataSource, { email: newEmail.toUpperCase() });

      const response = await confirm(token);

      expect(response.status).toBe(409);
      expect(response.body.message).toBe('Email is already taken');
      expect((await stored(testUser)).email).toBe(testUser.user.email);
    });

    it('keeps only the newest request: an older link stops working', async () => {
      const testUser = await createUser(testApp.dataSource);
      const older = await changeToken(testUser, newAddress());
      const newest = newAddress();
      const newer = await changeToken(testUser, newest);

      expect((await confirm(older)).status).toBe(400);
      await confirm(newer).expect(204);
      expect((await stored(testUser)).email).toBe(newest);
    });

    it('consumes nothing when the link is fetched with GET', async () => {
      const testUser = await createUser(testApp.dataSource);
      const token = await changeToken(testUser, newAddress());

      const link = await testApp.http().get(`/confirm-email?token=${token}`);
      const apiGet = await testApp.http().get(`${CONFIRM}?token=${token}`);

      expect(link.status).toBe(404);
      expect([404, 405]).toContain(apiGet.status);
      await confirm(token).expect(204);
    });

    it('does not accept a verification or reset token', async () => {
      const testUser = await createUser(testApp.dataSource);
      await testApp
        .http()
        .post('/api/v1/auth/password/forgot')
        .send({ email: testUser.user.email })
        .expect(202);
      const resetToken = tokenOf(await testApp.mailbox.next({ to: testUser.user.email }));

      const response = await confirm(resetToken);

      expect(response.status).toBe(400);
      expect(response.body.message).toBe(INVALID_TOKEN);
    });
  });
});
