import { SecurityEvent } from '../src/security-events/security-event.entity';
import { EmailVerificationController } from '../src/account/email-verification.controller';
import { Role } from '../src/users/role.enum';
import { bearer, login } from './support/auth-helpers';
import { addressedClient } from './support/client-address';
import { createUser, uniqueName } from './support/factories/user.factory';
import { createMailTestApp, tokenOf, type MailTestApp } from './support/mailbox';

const VERIFY = '/api/v1/auth/email/verify';
const RESEND = '/api/v1/auth/email/verify/resend';
const INVALID_TOKEN = 'This link is invalid, expired or already used';
const ACCEPTED = {
  message: 'If an account can use this address, a mail with a link is on its way',
};
const PASSWORD = 'lantern orbit pickle granite';

describe(EmailVerificationController.name, () => {
  let testApp: MailTestApp;

  beforeAll(async () => {
    testApp = await createMailTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  const register = async (app: MailTestApp = testApp) => {
    const username = uniqueName('reg');
    const email = `${username}@example.com`;
    const response = await app
      .http()
      .post('/api/v1/auth/register')
      .send({ email, username, password: PASSWORD })
      .expect(201);
    return { email, username, id: response.body.id as string, body: response.body };
  };
  const verify = (token: unknown) => testApp.http().post(VERIFY).send({ token });
  const me = async (username: string) =>
    (
      await testApp
        .http()
        .get('/api/v1/users/me')
        .set(bearer((await loginAs(username)).access_token))
    ).body as { emailVerified: boolean; email: string };
  const loginAs = async (username: string) =>
    (
      await testApp
        .http()
        .post('/api/v1/auth/login')
        .send({ username, password: PASSWORD })
        .expect(200)
    ).body as { access_token: string };

  describe('registration', () => {
    it('creates an unverified account and mails it a link to EMAIL_VERIFY_URL', async () => {
      const account = await register();

      expect(account.body.emailVerified).toBe(false);
      const mail = await testApp.mailbox.next({ to: account.email, kind: 'email-verify' });
      expect(mail.subject).toBe('Confirm your email address');
      const token = tokenOf(mail);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43,}$/);
      expect(mail.text).toContain(`http://localhost:3000/verify-email?token=${token}`);
      expect(mail.text).toContain('1 day');
      expect(mail.text).toContain(account.username);
    });

    it('sends no mail when the registration is refused', async () => {
      const existing = await createUser(testApp.dataSource);

      await testApp
        .http()
        .post('/api/v1/auth/register')
        .send({ email: existing.user.email, username: uniqueName('dup'), password: PASSWORD })
        .expect(409);

      expect(testApp.mailbox.all({ to: existing.user.email })).toEqual([]);
    });
  });

  describe('POST /auth/email/verify', () => {
    it('records email.verified for the account, by the account', async () => {
      const account = await register();

      await verify(tokenOf(await testApp.mailbox.next({ to: account.email }))).expect(204);

      const events = await testApp.dataSource
        .getRepository(SecurityEvent)
        .findBy({ userId: account.id, type: 'email.verified' });
      expect(events).toHaveLength(1);
      expect(events[0].actorId).toBe(account.id);
    });

    it('verifies the address without signing anyone in', async () => {
      const account = await register();
      const token = tokenOf(await testApp.mailbox.next({ to: account.email }));

      const response = await verify(token);

      expect(response.status).toBe(204);
      expect(response.text).toBe('');
      expect(response.headers['set-cookie']).toBeUndefined();
      expect((await me(account.username)).emailVerified).toBe(true);
    });

    it('refuses a used, unknown or other-purpose token with one message', async () => {
      const account = await register();
      const token = tokenOf(await testApp.mailbox.next({ to: account.email }));
      await verify(token).expect(204);
      const resetUser = await createUser(testApp.dataSource);
      await testApp
        .http()
        .post('/api/v1/auth/password/forgot')
        .send({ email: resetUser.user.email })
        .expect(202);
      const resetToken = tokenOf(
        await testApp.mailbox.next({ to: resetUser.user.email, kind: 'password-reset' }),
      );

      const answers = await Promise.all([verify(token), verify('nope'), verify(resetToken)]);

      for (const answer of answers) {
        expect(answer.status).toBe(400);
        expect(answer.body).toEqual({
          statusCode: 400,
          message: INVALID_TOKEN,
          error: 'Bad Request',
        });
      }
    });

    it.each([
      ['a number', { token: 7 }],
      ['null', { token: null }],
      ['missing', {}],
      ['with an unknown field', { token: 'abc', userId: 'x' }],
    ])('answers 400 for a token that is %s', async (_case, body) => {
      const response = await testApp.http().post(VERIFY).send(body);

      expect(response.status).toBe(400);
    });

    it('consumes nothing when the link is fetched with GET', async () => {
      const account = await register();
      const token = tokenOf(await testApp.mailbox.next({ to: account.email }));

      const link = await testApp.http().get(`/verify-email?token=${token}`);
      const apiGet = await testApp.http().get(`${VERIFY}?token=${token}`);

      expect(link.status).toBe(404);
      expect([404, 405]).toContain(apiGet.status);
      await verify(token).expect(204);
    });
  });

  describe('POST /auth/email/verify/resend', () => {
    it('mails a fresh link and leaves the earlier one valid', async () => {
      const account = await register();
      const first = tokenOf(await testApp.mailbox.next({ to: account.email }));

      const response = await testApp.http().post(RESEND).send({ email: account.email });

      expect(response.status).toBe(202);
      expect(response.body).toEqual(ACCEPTED);
      const second = tokenOf(await testApp.mailbox.next({ to: account.email }));
      expect(second).not.toBe(first);
      await verify(first).expect(204);
      // Verifying with one link does not spend the other: it stays single-use on its own.
      await verify(second).expect(204);
      await verify(second).expect(400);
    });

    it('answers the same and mails nothing for an unknown, verified or disabled address', async () => {
      const verified = await createUser(testApp.dataSource, { emailVerified: true });
      const disabled = await createUser(testApp.dataSource, { isActive: false });
      const unknown = `${uniqueName('nobody')}@example.com`;

      const answers = await Promise.all(
        [verified.user.email, disabled.user.email, unknown].map((email) =>
          testApp.http().post(RESEND).send({ email }),
        ),
      );

      for (const answer of answers) {
        expect(answer.status).toBe(202);
        expect(answer.body).toEqual(ACCEPTED);
      }
      await testApp.settle();
      for (const email of [verified.user.email, disabled.user.email, unknown]) {
        expect(testApp.mailbox.all({ to: email })).toEqual([]);
      }
    });

    it('mails at most 3 links an hour per account, answering 202 past that', async () => {
      const account = await register();
      await testApp.mailbox.next({ to: account.email });

      const statuses: number[] = [];
      for (let request = 0; request < 5; request += 1) {
        const response = await testApp.http().post(RESEND).send({ email: account.email });
        statuses.push(response.status);
      }
      await testApp.settle();

      expect(statuses).toEqual([202, 202, 202, 202, 202]);
      // The registration's link and three resent ones.
      expect(testApp.mailbox.all({ to: account.email, kind: 'email-verify' })).toHaveLength(4);
    });

    it('answers 400 for something that is not an email', async () => {
      const response = await testApp.http().post(RESEND).send({ email: 'nope' });

      expect(response.status).toBe(400);
      expect(response.body.message).toEqual(['email must be an email address']);
    });
  });

  describe('PATCH /users/:id {emailVerified} (admin)', () => {
    it('sets and clears the flag', async () => {
      const admin = await createUser(testApp.dataSource, { roles: [Role.User, Role.Admin] });
      const target = await createUser(testApp.dataSource);
      const { access_token } = await login(testApp, admin);
      const patch = (body: unknown) =>
        testApp
          .http()
          .patch(`/api/v1/users/${target.user.id}`)
          .set(bearer(access_token))
          .send(body as object);

      const verified = await patch({ emailVerified: true });
      const cleared = await patch({ emailVerified: false });
      const invalid = await patch({ emailVerified: 'yes' });

      expect(verified.status).toBe(200);
      expect(verified.body.emailVerified).toBe(true);
      expect(cleared.body.emailVerified).toBe(false);
      expect(invalid.status).toBe(400);
    });
  });

  describe('with a short EMAIL_TOKEN_TTL', () => {
    let shortLived: MailTestApp;

    beforeAll(async () => {
      shortLived = await createMailTestApp({ EMAIL_TOKEN_TTL: '1s' });
    });

    afterAll(async () => {
      await shortLived.close();
    });

    it('refuses an expired verification token', async () => {
      const account = await register(shortLived);
      const token = tokenOf(await shortLived.mailbox.next({ to: account.email }));

      await new Promise((resolve) => setTimeout(resolve, 1_200));
      const response = await shortLived.http().post(VERIFY).send({ token });

      expect(response.status).toBe(400);
      expect(response.body.message).toBe(INVALID_TOKEN);
    }, 15_000);
  });

  describe('with REQUIRE_VERIFIED_EMAIL=true', () => {
    let strict: MailTestApp;

    beforeAll(async () => {
      strict = await createMailTestApp({ REQUIRE_VERIFIED_EMAIL: 'true' });
    });

    afterAll(async () => {
      await strict.close();
    });

    const loginStrict = (username: string, password: string) =>
      strict.http().post('/api/v1/auth/login').type('form').send({ username, password });

    it('answers 403 email_not_verified to the right password of an unverified account', async () => {
      const account = await register(strict);

      const right = await loginStrict(account.username, PASSWORD);
      const wrong = await loginStrict(account.username, 'wrong guess 123');

      expect(right.status).toBe(403);
      expect(right.body).toEqual({
        statusCode: 403,
        error: 'email_not_verified',
        // A token endpoint's error: the RFC 6749 code with its description beside it.
        error_description: expect.stringContaining('Verify your email address'),
        message: expect.stringContaining('Verify your email address'),
      });
      expect(right.body.access_token).toBeUndefined();
      expect(wrong.status).toBe(401);
    });

    it('signs the account in once the address is verified', async () => {
      const account = await register(strict);
      const token = tokenOf(await strict.mailbox.next({ to: account.email }));

      await strict.http().post(VERIFY).send({ token }).expect(204);
      const response = await loginStrict(account.username, PASSWORD);

      expect(response.status).toBe(200);
      expect(response.body.access_token).toEqual(expect.any(String));
    });
  });

  describe('rate limit', () => {
    it('limits verify and resend per client address (AUTH_RATE_LIMIT)', async () => {
      const limited = await createMailTestApp({ AUTH_RATE_LIMIT: '2' });
      try {
        const send = await addressedClient(limited.app);
        const statuses = async (path: string, body: Record<string, string>) => {
          const seen: number[] = [];
          for (let request = 0; request < 3; request += 1) {
            seen.push((await send({ path, from: '127.0.5.1', body })).status);
          }
          return seen;
        };

        expect(await statuses(VERIFY, { token: 'nope' })).toEqual([400, 400, 429]);
        expect(await statuses(RESEND, { email: 'a@example.com' })).toEqual([202, 202, 429]);
      } finally {
        await limited.close();
      }
    });
  });
});
