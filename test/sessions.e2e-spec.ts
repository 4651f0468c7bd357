import { randomUUID } from 'node:crypto';
import { hashRefreshToken } from '../src/sessions/refresh-token';
import { Session } from '../src/sessions/session.entity';
import { SessionsController } from '../src/sessions/sessions.controller';
import { PURGE_GRACE_MS } from '../src/sessions/sessions.service';
import { SpentRefreshToken } from '../src/sessions/spent-refresh-token.entity';
import { User } from '../src/users/user.entity';
import { bearer, login, type Tokens } from './support/auth-helpers';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser, type TestUser } from './support/factories/user.factory';

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The claims of a JWT, unverified: the tests only read `sid`. */
function claimsOf(accessToken: string): { sid: string; sub: string } {
  const payload = accessToken.split('.')[1];
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
    sid: string;
    sub: string;
  };
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

describe(SessionsController.name, () => {
  let testApp: TestApp;

  beforeAll(async () => {
    // Many refreshes from one address in this file: keep the per-address limit out of the way.
    testApp = await createTestApp({ AUTH_RATE_LIMIT: '10000' });
  });

  afterAll(async () => {
    await testApp.close();
  });

  const refresh = (refreshToken: unknown) =>
    testApp.http().post('/api/v1/auth/refresh').send({ refresh_token: refreshToken });
  const getMe = (accessToken: string) =>
    testApp.http().get('/api/v1/users/me').set(bearer(accessToken));
  const listSessions = (accessToken: string) =>
    testApp.http().get('/api/v1/users/me/sessions').set(bearer(accessToken));
  const deleteSession = (accessToken: string, id: string) =>
    testApp.http().delete(`/api/v1/users/me/sessions/${id}`).set(bearer(accessToken));
  const sessionRow = (id: string) =>
    testApp.dataSource.getRepository(Session).findOneByOrFail({ id });

  async function signedIn(): Promise<{ testUser: TestUser; tokens: Tokens }> {
    const testUser = await createUser(testApp.dataSource);
    return { testUser, tokens: await login(testApp, testUser) };
  }

  describe('POST /auth/refresh', () => {
    it('returns a new token pair of the same session with Cache-Control: no-store', async () => {
      const { testUser, tokens } = await signedIn();

      const response = await refresh(tokens.refresh_token);

      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toEqual({
        access_token: expect.any(String),
        token_type: 'bearer',
        expires_in: 900,
        refresh_token: expect.any(String),
        refresh_expires_in: expect.any(Number),
      });
      expect(response.body.refresh_token).not.toBe(tokens.refresh_token);
      expect(response.body.access_token).not.toBe(tokens.access_token);
      expect(claimsOf(response.body.access_token)).toMatchObject({
        sid: claimsOf(tokens.access_token).sid,
        sub: testUser.user.id,
      });
      expect((await getMe(response.body.access_token)).status).toBe(200);
    });

    it('refuses the refresh token it has spent with 401', async () => {
      const { tokens } = await signedIn();
      expect((await refresh(tokens.refresh_token)).status).toBe(200);

      const replay = await refresh(tokens.refresh_token);

      expect(replay.status).toBe(401);
      expect(replay.headers['www-authenticate']).toBe('Bearer');
      expect(replay.body).toMatchObject({ statusCode: 401, error: 'invalid_grant' });
    });

    it('moves lastUsedAt and keeps createdAt', async () => {
      const { tokens } = await signedIn();
      const sid = claimsOf(tokens.access_token).sid;
      const before = await sessionRow(sid);
      await sleep(20);

      expect((await refresh(tokens.refresh_token)).status).toBe(200);

      const after = await sessionRow(sid);
      expect(after.lastUsedAt.getTime()).toBeGreaterThan(before.lastUsedAt.getTime());
      expect(after.createdAt.getTime()).toBe(before.createdAt.getTime());
      expect(after.refreshTokenHash).not.toBe(before.refreshTokenHash);
    });

    it.each([
      ['missing', {}],
      ['a number', { refresh_token: 12345 }],
      ['null', { refresh_token: null }],
      ['an array', { refresh_token: ['a'] }],
      ['sent with an unknown field', { refresh_token: 'abc', extra: 1 }],
    ])('returns 400 when refresh_token is %s', async (_case, body) => {
      const response = await testApp.http().post('/api/v1/auth/refresh').send(body);

      expect(response.status).toBe(400);
    });

    it.each([
      ['an unknown token', 'definitely-not-a-refresh-token'],
      ['an empty string', ''],
      ['an access token', 'ACCESS'],
    ])('returns 401 for %s', async (_case, token) => {
      const { tokens } = await signedIn();

      const response = await refresh(token === 'ACCESS' ? tokens.access_token : token);

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
    });

    it('ends the whole session when a spent token is presented, newer tokens included', async () => {
      const { tokens: first } = await signedIn();
      const second = (await refresh(first.refresh_token)).body as Tokens;
      const third = (await refresh(second.refresh_token)).body as Tokens;
      expect((await getMe(third.access_token)).status).toBe(200);

      const reuse = await refresh(first.refresh_token);

      expect(reuse.status).toBe(401);
      expect((await refresh(third.refresh_token)).status).toBe(401);
      expect((await getMe(third.access_token)).status).toBe(401);
      const row = await sessionRow(claimsOf(first.access_token).sid);
      expect(row.revokedAt).toBeInstanceOf(Date);
    });

    it('ends only the session of the reused token, not the user’s other sessions', async () => {
      const { testUser, tokens: stolen } = await signedIn();
      const other = await login(testApp, testUser);
      expect((await refresh(stolen.refresh_token)).status).toBe(200);

      expect((await refresh(stolen.refresh_token)).status).toBe(401);

      expect((await getMe(other.access_token)).status).toBe(200);
      expect((await refresh(other.refresh_token)).status).toBe(200);
    });

    it('lets at most one of 10 simultaneous refreshes of one token succeed', async () => {
      const { tokens } = await signedIn();

      const responses = await Promise.all(
        Array.from({ length: 10 }, () => refresh(tokens.refresh_token)),
      );

      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(1);
      expect(statuses.filter((status) => status !== 200).every((status) => status === 401)).toBe(
        true,
      );
      // The losers presented a spent token: reuse, so the session is over for everyone.
      for (const winner of responses.filter((response) => response.status === 200)) {
        expect((await getMe(winner.body.access_token)).status).toBe(401);
        expect((await refresh(winner.body.refresh_token)).status).toBe(401);
      }
      expect((await getMe(tokens.access_token)).status).toBe(401);
    });

    it('returns 401 for a disabled user and accepts the same token once re-enabled', async () => {
      const { testUser, tokens } = await signedIn();
      const users = testApp.dataSource.getRepository(User);
      await users.update({ id: testUser.user.id }, { isActive: false });

      const refused = await refresh(tokens.refresh_token);

      expect(refused.status).toBe(401);
      // The refusal did not spend the token.
      await users.update({ id: testUser.user.id }, { isActive: true });
      expect((await refresh(tokens.refresh_token)).status).toBe(200);
    });

    it('returns 401 once the user is deleted', async () => {
      const { testUser, tokens } = await signedIn();
      await testApp.dataSource.getRepository(User).delete({ id: testUser.user.id });

      expect((await refresh(tokens.refresh_token)).status).toBe(401);
    });
  });

  describe('POST /auth/logout', () => {
    it('returns 204 and refuses the session’s access and refresh tokens at once', async () => {
      const { tokens } = await signedIn();

      const response = await testApp
        .http()
        .post('/api/v1/auth/logout')
        .set(bearer(tokens.access_token));

      expect(response.status).toBe(204);
      expect(response.text).toBe('');
      expect((await getMe(tokens.access_token)).status).toBe(401);
      expect((await refresh(tokens.refresh_token)).status).toBe(401);
    });

    it('keeps the user’s other sessions', async () => {
      const { testUser, tokens } = await signedIn();
      const other = await login(testApp, testUser);

      await testApp.http().post('/api/v1/auth/logout').set(bearer(tokens.access_token)).expect(204);

      expect((await getMe(other.access_token)).status).toBe(200);
    });

    it('also ends another own session whose refresh token is sent', async () => {
      const { testUser, tokens } = await signedIn();
      const other = await login(testApp, testUser);
      const bystander = await login(testApp, testUser);

      await testApp
        .http()
        .post('/api/v1/auth/logout')
        .set(bearer(tokens.access_token))
        .send({ refresh_token: other.refresh_token })
        .expect(204);

      expect((await getMe(tokens.access_token)).status).toBe(401);
      expect((await getMe(other.access_token)).status).toBe(401);
      expect((await refresh(other.refresh_token)).status).toBe(401);
      expect((await getMe(bystander.access_token)).status).toBe(200);
    });

    it('ignores a refresh token of another user’s session', async () => {
      const { tokens } = await signedIn();
      const { tokens: stranger } = await signedIn();

      await testApp
        .http()
        .post('/api/v1/auth/logout')
        .set(bearer(tokens.access_token))
        .send({ refresh_token: stranger.refresh_token })
        .expect(204);

      expect((await getMe(tokens.access_token)).status).toBe(401);
      expect((await getMe(stranger.access_token)).status).toBe(200);
      expect((await refresh(stranger.refresh_token)).status).toBe(200);
    });

    it('returns 400 when refresh_token is not a string', async () => {
      const { tokens } = await signedIn();

      const response = await testApp
        .http()
        .post('/api/v1/auth/logout')
        .set(bearer(tokens.access_token))
        .send({ refresh_token: 42 });

      expect(response.status).toBe(400);
      expect((await getMe(tokens.access_token)).status).toBe(200);
    });

    it('returns 401 without an access token', async () => {
      const response = await testApp.http().post('/api/v1/auth/logout');

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
    });

    it('returns 401 for an access token of a session already logged out', async () => {
      const { tokens } = await signedIn();
      await testApp.http().post('/api/v1/auth/logout').set(bearer(tokens.access_token)).expect(204);

      const again = await testApp
        .http()
        .post('/api/v1/auth/logout')
        .set(bearer(tokens.access_token));

      expect(again.status).toBe(401);
    });
  });

  describe('GET /users/me/sessions', () => {
    it('lists the caller’s live sessions with the current one marked, and nothing secret', async () => {
      const testUser = await createUser(testApp.dataSource);
      const phone = await testApp
        .http()
        .post('/api/v1/auth/login')
        .set('User-Agent', 'PhoneApp/1.0')
        .type('form')
        .send({ username: testUser.user.username, password: testUser.password });
      const laptop = await login(testApp, testUser);
      const ended = await login(testApp, testUser);
      await testApp.http().post('/api/v1/auth/logout').set(bearer(ended.access_token)).expect(204);
      await signedIn(); // another user's session, never listed

      const response = await listSessions(laptop.access_token);

      expect(response.status).toBe(200);
      expect(response.body).toHaveLength(2);
      const byId = new Map(
        (response.body as { id: string }[]).map((session) => [session.id, session]),
      );
      expect(byId.get(claimsOf(laptop.access_token).sid)).toMatchObject({ current: true });
      expect(byId.get(claimsOf(phone.body.access_token as string).sid)).toEqual({
        id: claimsOf(phone.body.access_token as string).sid,
        createdAt: expect.stringMatching(ISO_TIME),
        lastUsedAt: expect.stringMatching(ISO_TIME),
        expiresAt: expect.stringMatching(ISO_TIME),
        userAgent: 'PhoneApp/1.0',
        ip: expect.any(String),
        current: false,
      });
      const text = JSON.stringify(response.body);
      for (const secret of [laptop.refresh_token, phone.body.refresh_token as string]) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(hashRefreshToken(secret));
      }
    });

    it('shows the new lastUsedAt after a refresh', async () => {
      const { tokens } = await signedIn();
      const [before] = (await listSessions(tokens.access_token)).body as { lastUsedAt: string }[];
      await sleep(20);

      const next = (await refresh(tokens.refresh_token)).body as Tokens;

      const [after] = (await listSessions(next.access_token)).body as { lastUsedAt: string }[];
      expect(Date.parse(after.lastUsedAt)).toBeGreaterThan(Date.parse(before.lastUsedAt));
    });
  });

  describe('DELETE /users/me/sessions/:id', () => {
    it('returns 204 and refuses the deleted session’s tokens from the next request', async () => {
      const { testUser, tokens } = await signedIn();
      const other = await login(testApp, testUser);

      const response = await deleteSession(tokens.access_token, claimsOf(other.access_token).sid);

      expect(response.status).toBe(204);
      expect((await getMe(other.access_token)).status).toBe(401);
      expect((await refresh(other.refresh_token)).status).toBe(401);
      expect((await getMe(tokens.access_token)).status).toBe(200);
      const listed = (await listSessions(tokens.access_token)).body as { id: string }[];
      expect(listed.map((session) => session.id)).toEqual([claimsOf(tokens.access_token).sid]);
    });

    it('ends the current session when given its own id', async () => {
      const { tokens } = await signedIn();

      await deleteSession(tokens.access_token, claimsOf(tokens.access_token).sid).expect(204);

      expect((await getMe(tokens.access_token)).status).toBe(401);
    });

    it('returns 404 for another user’s session and leaves it alone', async () => {
      const { tokens } = await signedIn();
      const { tokens: stranger } = await signedIn();

      const response = await deleteSession(
        tokens.access_token,
        claimsOf(stranger.access_token).sid,
      );

      expect(response.status).toBe(404);
      expect((await getMe(stranger.access_token)).status).toBe(200);
    });

    it('returns 404 for an unknown id and for a session already ended', async () => {
      const { testUser, tokens } = await signedIn();
      const other = await login(testApp, testUser);
      const otherSid = claimsOf(other.access_token).sid;
      await deleteSession(tokens.access_token, otherSid).expect(204);

      expect((await deleteSession(tokens.access_token, randomUUID())).status).toBe(404);
      expect((await deleteSession(tokens.access_token, otherSid)).status).toBe(404);
    });

    it('returns 400 for an id that is not a UUID', async () => {
      const { tokens } = await signedIn();

      const response = await deleteSession(tokens.access_token, 'not-a-uuid');

      expect(response.status).toBe(400);
    });

    it('returns 401 without an access token', async () => {
      const response = await testApp.http().delete(`/api/v1/users/me/sessions/${randomUUID()}`);

      expect(response.status).toBe(401);
    });
  });

  describe('GET /docs-json', () => {
    it.each([
      ['/api/v1/auth/refresh', 'post', ['200', '400', '401', '429'], true, false],
      ['/api/v1/auth/logout', 'post', ['204', '400', '401'], true, true],
      ['/api/v1/users/me', 'patch', ['200', '400', '401', '409'], true, true],
      ['/api/v1/users/me/password', 'post', ['204', '400', '401', '403'], true, true],
      ['/api/v1/users/me/sessions', 'get', ['200', '401'], false, true],
      ['/api/v1/users/me/sessions/{id}', 'delete', ['204', '400', '401', '404'], false, true],
    ])(
      'documents %s %s with its responses, body and security',
      async (path, method, statuses, hasBody, isProtected) => {
        const response = await testApp.http().get('/docs-json');
        const operation = response.body.paths[path]?.[method];

        expect(operation).toBeDefined();
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(statuses));
        expect(operation.requestBody !== undefined).toBe(hasBody);
        expect(operation.security !== undefined).toBe(isProtected);
      },
    );

    it('describes a listed session without any token or hash field', async () => {
      const response = await testApp.http().get('/docs-json');

      const schema = response.body.components.schemas.SessionResponseDto;
      expect(Object.keys(schema.properties).sort()).toEqual([
        'createdAt',
        'current',
        'expiresAt',
        'id',
        'ip',
        'lastUsedAt',
        'userAgent',
      ]);
    });
  });

  describe('per-request session check', () => {
    it('loads the session and the user in one query', async () => {
      const { tokens } = await signedIn();
      const logQuery = jest.spyOn(testApp.dataSource.logger, 'logQuery');
      try {
        expect((await getMe(tokens.access_token)).status).toBe(200);

        expect(logQuery).toHaveBeenCalledTimes(1);
      } finally {
        logQuery.mockRestore();
      }
    });
  });
});

// Passport keeps one strategy per name for the whole process, so an app made while another is
// open would take over its strategies: each app of this file lives in its own top-level block.
describe(`${SessionsController.name} with a 1 s refresh TTL`, () => {
  describe('POST /auth/refresh', () => {
    it('returns 401 for a refresh token past its expiry', async () => {
      const shortLived = await createTestApp({ JWT_REFRESH_TTL: '1s', AUTH_RATE_LIMIT: '1000' });
      try {
        const testUser = await createUser(shortLived.dataSource);
        const tokens = await login(shortLived, testUser);
        expect(tokens.refresh_expires_in).toBeLessThanOrEqual(1);
        await sleep(1500);

        const response = await shortLived
          .http()
          .post('/api/v1/auth/refresh')
          .send({ refresh_token: tokens.refresh_token });

        expect(response.status).toBe(401);
        // The session itself is over, so its access token goes with it.
        const me = await shortLived.http().get('/api/v1/users/me').set(bearer(tokens.access_token));
        expect(me.status).toBe(401);
      } finally {
        await shortLived.close();
      }
    });
  });
});

describe(`${SessionsController.name} with JWT_SESSION_MAX_AGE=3s and a 1 h refresh TTL`, () => {
  describe('POST /auth/refresh', () => {
    it('never extends the session past its sign-in plus the max age, however often it refreshes', async () => {
      const capped = await createTestApp({
        JWT_SESSION_MAX_AGE: '3s',
        JWT_REFRESH_TTL: '1h',
        AUTH_RATE_LIMIT: '1000',
      });
      try {
        const testUser = await createUser(capped.dataSource);
        const signedInAt = Date.now();
        let tokens = await login(capped, testUser);
        expect(tokens.refresh_expires_in).toBeLessThanOrEqual(3);
        const refresh = (refreshToken: string) =>
          capped.http().post('/api/v1/auth/refresh').send({ refresh_token: refreshToken });

        // Refreshing every half second: each new pair still ends at the sign-in's max age.
        while (Date.now() - signedInAt < 2_000) {
          await sleep(500);
          const response = await refresh(tokens.refresh_token);
          expect(response.status).toBe(200);
          tokens = response.body as Tokens;
          expect(tokens.refresh_expires_in).toBeLessThanOrEqual(3);
          const session = await capped.dataSource
            .getRepository(Session)
            .findOneByOrFail({ id: claimsOf(tokens.access_token).sid });
          expect(session.expiresAt.getTime()).toBe(session.createdAt.getTime() + 3_000);
        }
        await sleep(Math.max(0, signedInAt + 3_500 - Date.now()));

        expect((await refresh(tokens.refresh_token)).status).toBe(401);
        const me = await capped.http().get('/api/v1/users/me').set(bearer(tokens.access_token));
        expect(me.status).toBe(401);
      } finally {
        await capped.close();
      }
    });
  });
});

describe(`${SessionsController.name} purge`, () => {
  describe('expired-session purge', () => {
    it('deletes sessions dead for longer than the grace period, with their spent tokens, at login', async () => {
      const purging = await createTestApp();
      try {
        const testUser = await createUser(purging.dataSource);
        const sessions = purging.dataSource.getRepository(Session);
        const spent = purging.dataSource.getRepository(SpentRefreshToken);
        const now = Date.now();
        const longAgo = new Date(now - PURGE_GRACE_MS - 60_000);
        const row = (overrides: Partial<Session>): Session =>
          sessions.create({
            id: randomUUID(),
            userId: testUser.user.id,
            refreshTokenHash: hashRefreshToken(randomUUID()),
            createdAt: longAgo,
            lastUsedAt: longAgo,
            expiresAt: new Date(now + 60_000),
            revokedAt: null,
            userAgent: null,
            ip: null,
            ...overrides,
          });
        const expiredLongAgo = row({ expiresAt: longAgo });
        const revokedLongAgo = row({ revokedAt: longAgo });
        const expiredRecently = row({ expiresAt: new Date(now - 60_000) });
        const live = row({});
        await sessions.insert([expiredLongAgo, revokedLongAgo, expiredRecently, live]);
        const spentHash = hashRefreshToken(randomUUID());
        await spent.insert({ tokenHash: spentHash, sessionId: expiredLongAgo.id });

        await login(purging, testUser);

        const remaining = await sessions.findBy({ userId: testUser.user.id });
        const ids = remaining.map((session) => session.id);
        expect(ids).not.toContain(expiredLongAgo.id);
        expect(ids).not.toContain(revokedLongAgo.id);
        expect(ids).toEqual(expect.arrayContaining([expiredRecently.id, live.id]));
        expect(remaining).toHaveLength(3); // the two kept, and the login's own
        expect(await spent.findOneBy({ tokenHash: spentHash })).toBeNull();
      } finally {
        await purging.close();
      }
    });
  });
});
