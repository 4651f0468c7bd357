import { randomUUID } from 'node:crypto';
import { SecurityEventsController } from '../src/security-events/security-events.controller';
import { SecurityEventsRetention } from '../src/security-events/security-events-retention';
import { SecurityEventsService } from '../src/security-events/security-events.service';
import { securityEventId } from '../src/security-events/security-event-id';
import { SecurityEvent } from '../src/security-events/security-event.entity';
import { Role } from '../src/users/role.enum';
import { User } from '../src/users/user.entity';
import { bearer, login, type Tokens } from './support/auth-helpers';
import { createTestApp, type TestApp } from './support/create-test-app';
import {
  createUser,
  DEFAULT_TEST_PASSWORD,
  uniqueName,
  type TestUser,
} from './support/factories/user.factory';
import { enableTotp, freezeMfaClock, totpCode, TOTP_STEP_MS } from './support/mfa-helpers';

// Many tests sign users in through the API and wait for background writes: on a loaded machine
// more than Jest's default 5 s.
jest.setTimeout(30_000);

const MAX_ATTEMPTS = 3;
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const DAY_MS = 86_400_000;

interface EventBody {
  id: string;
  type: string;
  at: string;
  userId: string | null;
  actorId: string | null;
  sessionId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

interface PageBody {
  items: EventBody[];
  next: string | null;
}

function sidOf(accessToken: string): string {
  const payload = accessToken.split('.')[1];
  return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sid: string }).sid;
}

/** A fresh client address per test, so the per-address login limit never spills over. */
let addressCounter = 0;
function nextAddress(): string {
  addressCounter += 1;
  return `198.51.100.${addressCounter}`;
}

describe(SecurityEventsController.name, () => {
  let testApp: TestApp;
  let admin: TestUser;
  let adminTokens: Tokens;

  beforeAll(async () => {
    testApp = await createTestApp({
      LOGIN_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      TRUST_PROXY: '1',
      AUTH_RATE_LIMIT: '10000',
    });
    admin = await createUser(testApp.dataSource, { roles: [Role.User, Role.Admin] });
    adminTokens = await login(testApp, admin);
  });

  afterAll(async () => {
    await testApp.close();
  });

  const myEvents = (accessToken: string, query: Record<string, string> = {}) =>
    testApp.http().get('/api/v1/users/me/security-events').query(query).set(bearer(accessToken));
  const allEvents = (query: Record<string, string> = {}, accessToken = adminTokens.access_token) =>
    testApp.http().get('/api/v1/security-events').query(query).set(bearer(accessToken));

  /** Every page of the user's events, newest first, checking each page's shape. */
  async function everyEventOf(userId: string): Promise<EventBody[]> {
    const events: EventBody[] = [];
    let before: string | null = null;
    do {
      const response = await allEvents({ userId, limit: '100', ...(before ? { before } : {}) });
      expect(response.status).toBe(200);
      const page = response.body as PageBody;
      events.push(...page.items);
      before = page.next;
    } while (before !== null);
    return events;
  }

  /** Types oldest first; failed logins are written after the response, so wait for a count. */
  async function typesOf(userId: string, atLeast = 0): Promise<string[]> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const events = await everyEventOf(userId);
      if (events.length >= atLeast || Date.now() > deadline) {
        return events.map((event) => event.type).reverse();
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  const loginAs = (username: string, password: string, from = nextAddress()) =>
    testApp
      .http()
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', from)
      .type('form')
      .send({ username, password });

  async function signedIn(): Promise<{ testUser: TestUser; tokens: Tokens }> {
    const testUser = await createUser(testApp.dataSource);
    return { testUser, tokens: await login(testApp, testUser) };
  }

  describe('what each flow records', () => {
    it('registration: user.registered, with the address, user agent and the caller’s request id', async () => {
      const username = uniqueName();
      const response = await testApp
        .http()
        .post('/api/v1/auth/register')
        .set('X-Forwarded-For', '203.0.113.50')
        .set('User-Agent', 'events-e2e/1.0')
        .set('X-Request-Id', 'req-register-1')
        .send({ email: `${username}@example.com`, username, password: DEFAULT_TEST_PASSWORD });
      expect(response.status).toBe(201);
      const userId = (response.body as { id: string }).id;

      const [event] = await everyEventOf(userId);

      expect(await typesOf(userId)).toEqual(['user.registered']);
      expect(event).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        type: 'user.registered',
        at: expect.stringMatching(ISO_TIME),
        userId,
        actorId: userId,
        sessionId: null,
        ip: '203.0.113.50',
        userAgent: 'events-e2e/1.0',
        requestId: 'req-register-1',
        details: {},
      });
    });

    it('login: login.succeeded with the new session; without X-Request-Id, the id the server echoed', async () => {
      const testUser = await createUser(testApp.dataSource);

      const response = await loginAs(testUser.user.username, testUser.password, '203.0.113.51');
      expect(response.status).toBe(200);
      const [event] = await everyEventOf(testUser.user.id);

      expect(event).toMatchObject({
        type: 'login.succeeded',
        userId: testUser.user.id,
        actorId: testUser.user.id,
        sessionId: sidOf((response.body as Tokens).access_token),
        ip: '203.0.113.51',
        requestId: response.headers['x-request-id'],
        details: { amr: ['pwd'] },
      });
    });

    it('wrong password, disabled account, and the limit: login.failed (with the reason) and login.locked', async () => {
      const testUser = await createUser(testApp.dataSource);
      const from = nextAddress();
      const { username } = testUser.user;

      expect((await loginAs(username, 'wrong-password-1', from)).status).toBe(401);
      await testApp
        .http()
        .patch(`/api/v1/users/${testUser.user.id}`)
        .set(bearer(adminTokens.access_token))
        .send({ isActive: false })
        .expect(200);
      expect((await loginAs(username, testUser.password, from)).status).toBe(403);
      expect((await loginAs(username, 'wrong-password-2', from)).status).toBe(401);
      expect((await loginAs(username, 'wrong-password-3', from)).status).toBe(401);
      expect((await loginAs(username, 'wrong-password-4', from)).status).toBe(429);

      const types = await typesOf(testUser.user.id, 6);
      const events = await everyEventOf(testUser.user.id);

      expect(types).toEqual([
        'login.failed',
        'user.updated_by_admin',
        'login.failed',
        'login.failed',
        'login.failed',
        'login.locked',
      ]);
      const failures = events
        .filter((event) => event.type === 'login.failed')
        .map((event) => event.details.reason)
        .reverse();
      expect(failures).toEqual([
        'wrong_password',
        'account_disabled',
        'wrong_password',
        'wrong_password',
      ]);
      expect(events[0]).toMatchObject({ type: 'login.locked', actorId: null, ip: from });
    });

    it('an unknown login: login.failed with no user, for admins to see', async () => {
      const from = nextAddress();
      const response = await loginAs(uniqueName('nobody'), 'whatever-password', from);
      expect(response.status).toBe(401);
      const requestId = response.headers['x-request-id'];

      const deadline = Date.now() + 5000;
      let found: EventBody | undefined;
      while (!found && Date.now() < deadline) {
        const page = (await allEvents({ type: 'login.failed', limit: '100' })).body as PageBody;
        found = page.items.find((event) => event.requestId === requestId);
      }

      expect(found).toMatchObject({
        type: 'login.failed',
        userId: null,
        actorId: null,
        sessionId: null,
        ip: from,
        details: { reason: 'unknown_user' },
      });
    });

    it('refresh: token.refreshed; a spent token again: refresh.reused, on every presentation', async () => {
      const { testUser, tokens } = await signedIn();
      const refresh = (refreshToken: string) =>
        testApp.http().post('/api/v1/auth/refresh').send({ refresh_token: refreshToken });

      expect((await refresh(tokens.refresh_token)).status).toBe(200);
      expect((await refresh(tokens.refresh_token)).status).toBe(401);
      expect((await refresh(tokens.refresh_token)).status).toBe(401);
      const events = await everyEventOf(testUser.user.id);

      expect(await typesOf(testUser.user.id)).toEqual([
        'login.succeeded',
        'token.refreshed',
        'refresh.reused',
        'refresh.reused',
      ]);
      const sid = sidOf(tokens.access_token);
      expect(events.every((event) => event.sessionId === sid)).toBe(true);
      expect(events[0]).toMatchObject({ type: 'refresh.reused', actorId: null });
      expect(events[2]).toMatchObject({ type: 'token.refreshed', actorId: testUser.user.id });
    });

    it('logout: one logout event per session it ended', async () => {
      const { testUser, tokens } = await signedIn();
      const other = await login(testApp, testUser);

      await testApp
        .http()
        .post('/api/v1/auth/logout')
        .set(bearer(tokens.access_token))
        .send({ refresh_token: other.refresh_token })
        .expect(204);
      const logouts = (await everyEventOf(testUser.user.id)).filter(
        (event) => event.type === 'logout',
      );

      expect(await typesOf(testUser.user.id)).toEqual([
        'login.succeeded',
        'login.succeeded',
        'logout',
        'logout',
      ]);
      expect(logouts.map((event) => event.sessionId).sort()).toEqual(
        [sidOf(tokens.access_token), sidOf(other.access_token)].sort(),
      );
    });

    it('revocation (RFC 7009): logout via revocation, once per session ended, none for unknown tokens', async () => {
      const { testUser, tokens } = await signedIn();
      const other = await login(testApp, testUser);
      const revoke = (token: string) =>
        testApp.http().post('/api/v1/auth/revoke').type('form').send({ token }).expect(200);

      await revoke(tokens.refresh_token);
      await revoke(tokens.refresh_token);
      await revoke(other.access_token);
      await revoke('not-a-token-at-all');
      const events = await everyEventOf(testUser.user.id);

      expect(await typesOf(testUser.user.id)).toEqual([
        'login.succeeded',
        'login.succeeded',
        'logout',
        'logout',
      ]);
      expect(events.slice(0, 2).map((event) => event.sessionId)).toEqual([
        sidOf(other.access_token),
        sidOf(tokens.access_token),
      ]);
      expect(events[0]).toMatchObject({
        actorId: testUser.user.id,
        details: { via: 'revocation' },
      });
    });

    it('ending a session: session.revoked names it, and the session that ended it', async () => {
      const { testUser, tokens } = await signedIn();
      const other = await login(testApp, testUser);

      await testApp
        .http()
        .delete(`/api/v1/users/me/sessions/${sidOf(other.access_token)}`)
        .set(bearer(tokens.access_token))
        .expect(204);
      await testApp
        .http()
        .delete(`/api/v1/users/me/sessions/${sidOf(other.access_token)}`)
        .set(bearer(tokens.access_token))
        .expect(404);
      const [event] = await everyEventOf(testUser.user.id);

      expect(await typesOf(testUser.user.id)).toEqual([
        'login.succeeded',
        'login.succeeded',
        'session.revoked',
      ]);
      expect(event).toMatchObject({
        sessionId: sidOf(other.access_token),
        actorId: testUser.user.id,
        details: { bySession: sidOf(tokens.access_token) },
      });
    });

    it('password change: password.changed; a wrong current password changes nothing and records nothing', async () => {
      const { testUser, tokens } = await signedIn();
      const change = (currentPassword: string) =>
        testApp
          .http()
          .post('/api/v1/users/me/password')
          .set(bearer(tokens.access_token))
          .send({ currentPassword, newPassword: 'Another-Correct-Horse-9' });

      expect((await change('not-the-password')).status).toBe(403);
      expect((await change(testUser.password)).status).toBe(204);

      expect(await typesOf(testUser.user.id)).toEqual(['login.succeeded', 'password.changed']);
      expect((await everyEventOf(testUser.user.id))[0]).toMatchObject({
        sessionId: sidOf(tokens.access_token),
        actorId: testUser.user.id,
      });
    });

    it('admin changes: user.updated_by_admin naming the fields; none for a change refused or empty', async () => {
      const testUser = await createUser(testApp.dataSource);
      const patch = (body: Record<string, unknown>) =>
        testApp
          .http()
          .patch(`/api/v1/users/${testUser.user.id}`)
          .set(bearer(adminTokens.access_token))
          .send(body);

      expect((await patch({ roles: ['user'], fullName: 'Grace Hopper' })).status).toBe(200);
      expect((await patch({})).status).toBe(200);
      expect((await patch({ username: admin.user.username })).status).toBe(409);
      const [event] = await everyEventOf(testUser.user.id);

      expect(await typesOf(testUser.user.id)).toEqual(['user.updated_by_admin']);
      expect(event).toMatchObject({
        userId: testUser.user.id,
        actorId: admin.user.id,
        sessionId: sidOf(adminTokens.access_token),
        details: { fields: ['fullName', 'roles'] },
      });
    });

    it('admin delete: user.deleted_by_admin, and the account’s events outlive it', async () => {
      const { testUser } = await signedIn();

      await testApp
        .http()
        .delete(`/api/v1/users/${testUser.user.id}`)
        .set(bearer(adminTokens.access_token))
        .expect(204);

      expect(await typesOf(testUser.user.id)).toEqual(['login.succeeded', 'user.deleted_by_admin']);
      expect((await everyEventOf(testUser.user.id))[0]).toMatchObject({ actorId: admin.user.id });
    });

    it('stores nothing secret: no password, token or hash in any column of any event', async () => {
      const username = uniqueName();
      const password = 'Secret-Register-Pass-1';
      const newPassword = 'Secret-New-Pass-22';
      const registered = await testApp
        .http()
        .post('/api/v1/auth/register')
        .send({ email: `${username}@example.com`, username, password })
        .expect(201);
      const userId = (registered.body as { id: string }).id;
      await loginAs(username, 'Secret-Wrong-Pass-3').expect(401);
      const tokens = (await loginAs(username, password).expect(200)).body as Tokens;
      const refreshed = (
        await testApp
          .http()
          .post('/api/v1/auth/refresh')
          .send({ refresh_token: tokens.refresh_token })
          .expect(200)
      ).body as Tokens;
      await testApp
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refresh_token: tokens.refresh_token })
        .expect(401);
      const again = (await loginAs(username, password).expect(200)).body as Tokens;
      await testApp
        .http()
        .post('/api/v1/users/me/password')
        .set(bearer(again.access_token))
        .send({ currentPassword: password, newPassword })
        .expect(204);
      await testApp
        .http()
        .post('/api/v1/auth/logout')
        .set(bearer(again.access_token))
        .send({ refresh_token: refreshed.refresh_token })
        .expect(204);
      await typesOf(userId, 8);
      const { passwordHash } = await testApp.dataSource
        .getRepository(User)
        .findOneByOrFail({ id: userId });

      // Every column as stored, read around the entity.
      const rows = await testApp.dataSource
        .createQueryBuilder()
        .select('*')
        .from('security_events', 'event')
        .where('event."userId" = :userId', { userId })
        .getRawMany<Record<string, unknown>>();
      const stored = JSON.stringify(rows);

      expect(rows.length).toBeGreaterThanOrEqual(8);
      for (const secret of [
        password,
        newPassword,
        'Secret-Wrong-Pass-3',
        tokens.access_token,
        tokens.refresh_token,
        refreshed.access_token,
        refreshed.refresh_token,
        again.access_token,
        again.refresh_token,
        passwordHash,
      ]) {
        expect(stored).not.toContain(secret);
      }
      // Pieces too, in case something stored a part: the JWT signatures and half a refresh token.
      expect(stored).not.toContain(tokens.access_token.split('.')[2]);
      expect(stored).not.toContain(tokens.refresh_token.slice(0, 20));
    });
  });

  describe('the second factor', () => {
    afterEach(() => {
      jest.restoreAllMocks();
    });

    it('records mfa.enabled, mfa.failed, the login with amr, new recovery codes, mfa.disabled; nothing secret', async () => {
      const testUser = await createUser(testApp.dataSource);
      const factor = await enableTotp(testApp, testUser);
      const codeAtStep = (steps: number): string =>
        totpCode(
          factor.secret,
          freezeMfaClock(testApp, factor.confirmedAtMs + steps * TOTP_STEP_MS),
        );
      const settings = (path: string, body: Record<string, string>) =>
        testApp
          .http()
          .post(`/api/v1/users/me/mfa/${path}`)
          .set(bearer(factor.tokens.access_token))
          .send(body);
      const from = nextAddress();
      const challenge = await loginAs(testUser.user.username, testUser.password, from).expect(403);
      const mfaToken = (challenge.body as { mfa_token: string }).mfa_token;
      const secondStep = (code: string) =>
        testApp
          .http()
          .post('/api/v1/auth/login/mfa')
          .set('X-Forwarded-For', from)
          .send({ mfa_token: mfaToken, code });

      await secondStep('000000').expect(401);
      const signedIn = (await secondStep(codeAtStep(1)).expect(200)).body as Tokens;
      await settings('recovery-codes', {
        currentPassword: testUser.password,
        code: '123456',
      }).expect(400);
      const fresh = (
        await settings('recovery-codes', {
          currentPassword: testUser.password,
          code: codeAtStep(2),
        }).expect(200)
      ).body as { recoveryCodes: string[] };
      await settings('disable', {
        currentPassword: testUser.password,
        code: fresh.recoveryCodes[0],
      }).expect(204);

      const types = await typesOf(testUser.user.id, 7);
      const events = await everyEventOf(testUser.user.id);

      expect(types).toEqual(
        [
          'login.succeeded',
          'mfa.enabled',
          'mfa.failed',
          'login.succeeded',
          'mfa.failed',
          'mfa.recovery_codes_regenerated',
          'mfa.disabled',
        ].slice(0, types.length),
      );
      expect(types).toHaveLength(7);
      const byType = (type: string) => events.filter((event) => event.type === type).reverse();
      expect(byType('mfa.failed').map((event) => event.details)).toEqual([
        { reason: 'wrong_code' },
        { reason: 'wrong_code', step: 'recovery_codes' },
      ]);
      expect(byType('login.succeeded')[1]).toMatchObject({
        sessionId: sidOf(signedIn.access_token),
        details: { amr: ['pwd', 'otp'] },
      });
      expect(byType('mfa.enabled')[0]).toMatchObject({
        actorId: testUser.user.id,
        sessionId: sidOf(factor.tokens.access_token),
      });
      const stored = JSON.stringify(
        await testApp.dataSource
          .createQueryBuilder()
          .select('*')
          .from('security_events', 'event')
          .where('event."userId" = :userId', { userId: testUser.user.id })
          .getRawMany(),
      );
      for (const secret of [
        factor.secret,
        mfaToken,
        ...factor.recoveryCodes,
        ...fresh.recoveryCodes,
        signedIn.access_token,
        signedIn.refresh_token,
      ]) {
        expect(stored).not.toContain(secret);
      }
    });

    it('records a dead mfa_token as mfa.failed with no user', async () => {
      const response = await testApp
        .http()
        .post('/api/v1/auth/login/mfa')
        .set('X-Forwarded-For', nextAddress())
        .send({ mfa_token: 'A'.repeat(43), code: '123456' });
      expect(response.status).toBe(401);
      const requestId = response.headers['x-request-id'];

      const deadline = Date.now() + 5000;
      let found: EventBody | undefined;
      while (!found && Date.now() < deadline) {
        const page = (await allEvents({ type: 'mfa.failed', limit: '100' })).body as PageBody;
        found = page.items.find((event) => event.requestId === requestId);
      }

      expect(found).toMatchObject({ userId: null, details: { reason: 'invalid_mfa_token' } });
    });

    it('records an admin turning the factor off as user.updated_by_admin', async () => {
      const testUser = await createUser(testApp.dataSource);
      await enableTotp(testApp, testUser);

      await testApp
        .http()
        .patch(`/api/v1/users/${testUser.user.id}`)
        .set(bearer(adminTokens.access_token))
        .send({ mfaEnabled: false })
        .expect(200);

      expect(await typesOf(testUser.user.id)).toEqual([
        'login.succeeded',
        'mfa.enabled',
        'user.updated_by_admin',
      ]);
      expect((await everyEventOf(testUser.user.id))[0].details).toEqual({
        fields: ['mfaEnabled'],
      });
    });
  });

  describe('under concurrent requests', () => {
    it('answers every refresh and logout at once, each with its own event', async () => {
      const testUser = await createUser(testApp.dataSource);
      const sessions: Tokens[] = [];
      for (let index = 0; index < 12; index++) {
        sessions.push(await login(testApp, testUser));
      }

      const refreshed = await Promise.all(
        sessions.map((tokens) =>
          testApp.http().post('/api/v1/auth/refresh').send({ refresh_token: tokens.refresh_token }),
        ),
      );
      const loggedOut = await Promise.all(
        refreshed.map((response) =>
          testApp
            .http()
            .post('/api/v1/auth/logout')
            .set(bearer((response.body as Tokens).access_token)),
        ),
      );

      expect(refreshed.map((response) => response.status)).toEqual(sessions.map(() => 200));
      expect(loggedOut.map((response) => response.status)).toEqual(sessions.map(() => 204));
      const types = await typesOf(testUser.user.id);
      expect(types.filter((type) => type === 'token.refreshed')).toHaveLength(12);
      expect(types.filter((type) => type === 'logout')).toHaveLength(12);
    });
  });

  describe('GET /users/me/security-events', () => {
    it('pages through every event, newest first, complete and disjoint', async () => {
      const { testUser, tokens } = await signedIn();
      const events = testApp.app.get(SecurityEventsService);
      // Many events within the same milliseconds: the id breaks the ties.
      for (let index = 0; index < 44; index++) {
        await events.record(testApp.dataSource.manager, {
          type: 'token.refreshed',
          userId: testUser.user.id,
          details: { index },
        });
      }

      const seen: EventBody[] = [];
      let before: string | null = null;
      let pages = 0;
      do {
        const response = await myEvents(tokens.access_token, {
          limit: '7',
          ...(before ? { before } : {}),
        });
        expect(response.status).toBe(200);
        const page = response.body as PageBody;
        expect(page.items.length).toBeLessThanOrEqual(7);
        seen.push(...page.items);
        before = page.next;
        pages += 1;
      } while (before !== null);

      expect(pages).toBe(7);
      expect(seen).toHaveLength(45);
      expect(new Set(seen.map((event) => event.id)).size).toBe(45);
      const indexes = seen
        .filter((event) => event.type === 'token.refreshed')
        .map((event) => event.details.index);
      expect(indexes).toEqual([...Array(44).keys()].reverse());
      expect(seen[44].type).toBe('login.succeeded');
      const keys = seen.map((event) => `${event.at}|${event.id}`);
      expect([...keys].sort().reverse()).toEqual(keys);
    });

    it('has 20 events a page by default, and next: null on the last page', async () => {
      const { testUser, tokens } = await signedIn();
      const events = testApp.app.get(SecurityEventsService);
      for (let index = 0; index < 21; index++) {
        await events.record(testApp.dataSource.manager, {
          type: 'token.refreshed',
          userId: testUser.user.id,
        });
      }

      const first = (await myEvents(tokens.access_token)).body as PageBody;
      const second = (await myEvents(tokens.access_token, { before: first.next ?? '' }))
        .body as PageBody;

      expect(first.items).toHaveLength(20);
      expect(first.next).toBe(first.items[19].id);
      expect(second.items).toHaveLength(2);
      expect(second.next).toBeNull();
    });

    it('shows only the caller’s own events', async () => {
      const alice = await signedIn();
      const bob = await signedIn();
      await testApp
        .http()
        .post('/api/v1/auth/logout')
        .set(bearer(bob.tokens.access_token))
        .expect(204);

      const page = (await myEvents(alice.tokens.access_token, { limit: '100' })).body as PageBody;

      expect(page.items.map((event) => event.type)).toEqual(['login.succeeded']);
      expect(page.items.every((event) => event.userId === alice.testUser.user.id)).toBe(true);
    });

    it('answers 401 without a token', async () => {
      expect((await testApp.http().get('/api/v1/users/me/security-events')).status).toBe(401);
    });

    it.each<[string, Record<string, string>]>([
      ['limit=0', { limit: '0' }],
      ['limit=101', { limit: '101' }],
      ['limit=abc', { limit: 'abc' }],
      ['limit=1.5', { limit: '1.5' }],
      ['before that is no UUID', { before: 'nope' }],
      ['before that is a v4 UUID', { before: randomUUID() }],
      ['an unknown field', { page: '2' }],
      ['an admin filter', { type: 'logout' }],
    ])('answers 400 to %s', async (_title, query) => {
      const { tokens } = await signedIn();

      const response = await myEvents(tokens.access_token, query);

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    });

    it('answers 400 to a repeated limit', async () => {
      const { tokens } = await signedIn();

      const response = await testApp
        .http()
        .get('/api/v1/users/me/security-events?limit=5&limit=6')
        .set(bearer(tokens.access_token));

      expect(response.status).toBe(400);
    });
  });

  describe('GET /security-events (admin)', () => {
    it('filters by type and user, and pages within the filter', async () => {
      const { testUser, tokens } = await signedIn();
      for (let index = 0; index < 3; index++) {
        await testApp
          .http()
          .delete(
            `/api/v1/users/me/sessions/${sidOf((await login(testApp, testUser)).access_token)}`,
          )
          .set(bearer(tokens.access_token))
          .expect(204);
      }

      const first = (
        await allEvents({ userId: testUser.user.id, type: 'session.revoked', limit: '2' })
      ).body as PageBody;
      const second = (
        await allEvents({
          userId: testUser.user.id,
          type: 'session.revoked',
          limit: '2',
          before: first.next ?? '',
        })
      ).body as PageBody;

      expect(first.items).toHaveLength(2);
      expect(second.items).toHaveLength(1);
      expect(second.next).toBeNull();
      expect(
        [...first.items, ...second.items].every(
          (event) => event.type === 'session.revoked' && event.userId === testUser.user.id,
        ),
      ).toBe(true);
    });

    it('filters by time: from and to both included', async () => {
      const testUser = await createUser(testApp.dataSource);
      const repository = testApp.dataSource.getRepository(SecurityEvent);
      const times = [
        '2030-01-01T00:00:00.000Z',
        '2030-01-02T00:00:00.000Z',
        '2030-01-03T00:00:00.000Z',
      ];
      for (const time of times) {
        const at = new Date(time);
        await repository.insert({
          id: securityEventId(at),
          type: 'logout',
          at,
          userId: testUser.user.id,
          actorId: null,
          sessionId: null,
          ip: null,
          userAgent: null,
          requestId: null,
          details: {},
        });
      }

      const between = (
        await allEvents({
          userId: testUser.user.id,
          from: '2030-01-02T00:00:00.000Z',
          to: '2030-01-03T00:00:00Z',
        })
      ).body as PageBody;
      const fromOnly = (
        await allEvents({ userId: testUser.user.id, from: '2030-01-01T12:00:00+02:00' })
      ).body as PageBody;
      const toOnly = (await allEvents({ userId: testUser.user.id, to: '2030-01-01' }))
        .body as PageBody;

      expect(between.items.map((event) => event.at)).toEqual([times[2], times[1]]);
      expect(fromOnly.items.map((event) => event.at)).toEqual([times[2], times[1]]);
      expect(toOnly.items.map((event) => event.at)).toEqual([times[0]]);
    });

    it('answers 403 to a user who is not an admin, 401 without a token', async () => {
      const { tokens } = await signedIn();

      expect((await allEvents({}, tokens.access_token)).status).toBe(403);
      expect((await testApp.http().get('/api/v1/security-events')).status).toBe(401);
    });

    it.each<[string, Record<string, string>]>([
      ['an unknown type', { type: 'login.maybe' }],
      ['a userId that is no UUID', { userId: '42' }],
      ['from that is no time', { from: 'yesterday' }],
      ['to that is no time', { to: '2030-13-01' }],
      ['a week date JavaScript cannot place', { from: '2030-W01-1' }],
      ['from after to', { from: '2030-01-02T00:00:00Z', to: '2030-01-01T00:00:00Z' }],
      ['limit=101', { limit: '101' }],
      ['an unknown field', { search: 'x' }],
    ])('answers 400 to %s', async (_title, query) => {
      const response = await allEvents(query);

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    });
  });

  describe('retention', () => {
    it('purges events older than AUDIT_RETENTION (90 days by default) and keeps the rest', async () => {
      const testUser = await createUser(testApp.dataSource);
      const repository = testApp.dataSource.getRepository(SecurityEvent);
      const now = Date.now();
      const ids: Record<string, string> = {};
      for (const [name, ageMs] of [
        ['old', 91 * DAY_MS],
        ['edge', 89 * DAY_MS],
        ['recent', 1000],
      ] as const) {
        const at = new Date(now - ageMs);
        ids[name] = securityEventId(at);
        await repository.insert({
          id: ids[name],
          type: 'logout',
          at,
          userId: testUser.user.id,
          actorId: null,
          sessionId: null,
          ip: null,
          userAgent: null,
          requestId: null,
          details: {},
        });
      }

      const purged = await testApp.app.get(SecurityEventsRetention).purge(new Date(now));
      const left = await everyEventOf(testUser.user.id);

      expect(purged).toBeGreaterThanOrEqual(1);
      expect(left.map((event) => event.id)).toEqual([ids.recent, ids.edge]);
    });
  });
});
