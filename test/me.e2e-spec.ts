import bcrypt from 'bcrypt';
import { MeController } from '../src/users/me.controller';
import { User } from '../src/users/user.entity';
import { bearer, login, type Tokens } from './support/auth-helpers';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser, uniqueName, type TestUser } from './support/factories/user.factory';

const NEW_PASSWORD = 'lantern orbit pickle granite';

describe(MeController.name, () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  describe('GET /users/me', () => {
    it('returns the signed-in user in the public shape', async () => {
      const testUser = await createUser(testApp.dataSource, { fullName: 'Ada Lovelace' });
      const tokens = await login(testApp, testUser);

      const response = await testApp
        .http()
        .get('/api/v1/users/me')
        .set(bearer(tokens.access_token));

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        id: testUser.user.id,
        email: testUser.user.email,
        username: testUser.user.username,
        fullName: 'Ada Lovelace',
        isActive: true,
        emailVerified: false,
        mfaEnabled: false,
        roles: ['user'],
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
    });

    it('returns 401 with WWW-Authenticate: Bearer without a token', async () => {
      const response = await testApp.http().get('/api/v1/users/me');

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    });
  });

  const getMe = (accessToken: string) =>
    testApp.http().get('/api/v1/users/me').set(bearer(accessToken));

  describe('PATCH /users/me', () => {
    const patchMe = (accessToken: string, body: unknown) =>
      testApp
        .http()
        .patch('/api/v1/users/me')
        .set(bearer(accessToken))
        .send(body as object);

    it('changes the username and the full name and returns the user', async () => {
      const testUser = await createUser(testApp.dataSource, { fullName: 'Ada' });
      const tokens = await login(testApp, testUser);
      const username = uniqueName('renamed');

      const response = await patchMe(tokens.access_token, { username, fullName: 'Ada Lovelace' });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        id: testUser.user.id,
        email: testUser.user.email,
        username,
        fullName: 'Ada Lovelace',
        roles: ['user'],
        isActive: true,
      });
      expect(Object.keys(response.body).sort()).toEqual([
        'createdAt',
        'email',
        'emailVerified',
        'fullName',
        'id',
        'isActive',
        'mfaEnabled',
        'roles',
        'updatedAt',
        'username',
      ]);
      const stored = await testApp.dataSource
        .getRepository(User)
        .findOneByOrFail({ id: testUser.user.id });
      expect(stored).toMatchObject({ username, fullName: 'Ada Lovelace' });
      // The new name signs in; the access token already issued keeps working.
      await login(testApp, { user: stored, password: testUser.password });
      expect((await getMe(tokens.access_token)).body.username).toBe(username);
    });

    it('changes only the fields sent', async () => {
      const testUser = await createUser(testApp.dataSource, { fullName: 'Grace Hopper' });
      const tokens = await login(testApp, testUser);
      const username = uniqueName('only');

      const response = await patchMe(tokens.access_token, { username });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ username, fullName: 'Grace Hopper' });
    });

    it('clears the full name when it is null', async () => {
      const testUser = await createUser(testApp.dataSource, { fullName: 'Grace Hopper' });
      const tokens = await login(testApp, testUser);

      const response = await patchMe(tokens.access_token, { fullName: null });

      expect(response.status).toBe(200);
      expect(response.body.fullName).toBeNull();
      expect(response.body.username).toBe(testUser.user.username);
    });

    it('returns the user unchanged for an empty body', async () => {
      const testUser = await createUser(testApp.dataSource, { fullName: 'Grace Hopper' });
      const tokens = await login(testApp, testUser);

      const response = await patchMe(tokens.access_token, {});

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        username: testUser.user.username,
        fullName: 'Grace Hopper',
      });
    });

    it('accepts a change of case of the caller’s own username', async () => {
      const testUser = await createUser(testApp.dataSource, { username: uniqueName('case') });
      const tokens = await login(testApp, testUser);
      const upper = testUser.user.username.toUpperCase();

      const response = await patchMe(tokens.access_token, { username: upper });

      expect(response.status).toBe(200);
      expect(response.body.username).toBe(upper);
    });

    it('returns 409 when the username is taken, compared case-insensitively', async () => {
      const taken = await createUser(testApp.dataSource, { username: uniqueName('taken') });
      const testUser = await createUser(testApp.dataSource);
      const tokens = await login(testApp, testUser);

      const response = await patchMe(tokens.access_token, {
        username: taken.user.username.toUpperCase(),
      });

      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
      expect((await getMe(tokens.access_token)).body.username).toBe(testUser.user.username);
    });

    it.each([
      ['a username too short', { username: 'ab' }],
      ['a username with a space', { username: 'a b c' }],
      ['a null username', { username: null }],
      ['a numeric username', { username: 12345 }],
      ['a full name over 100 characters', { fullName: 'x'.repeat(101) }],
      ['a numeric full name', { fullName: 7 }],
      ['an email', { email: 'other@example.com' }],
      ['roles', { roles: ['admin'] }],
      ['isActive', { isActive: false }],
      ['a password', { password: NEW_PASSWORD }],
    ])('returns 400 for %s and changes nothing', async (_case, body) => {
      const testUser = await createUser(testApp.dataSource, { fullName: 'Unchanged' });
      const tokens = await login(testApp, testUser);

      const response = await patchMe(tokens.access_token, body);

      expect(response.status).toBe(400);
      const stored = await testApp.dataSource
        .getRepository(User)
        .findOneByOrFail({ id: testUser.user.id });
      expect(stored).toMatchObject({
        username: testUser.user.username,
        email: testUser.user.email,
        fullName: 'Unchanged',
        roles: ['user'],
        isActive: true,
        passwordHash: testUser.user.passwordHash,
      });
    });

    it('returns 401 without a token', async () => {
      const response = await testApp.http().patch('/api/v1/users/me').send({ fullName: 'x' });

      expect(response.status).toBe(401);
    });
  });

  describe('POST /users/me/password', () => {
    const changePassword = (accessToken: string, body: unknown) =>
      testApp
        .http()
        .post('/api/v1/users/me/password')
        .set(bearer(accessToken))
        .send(body as object);
    const refresh = (refreshToken: string) =>
      testApp.http().post('/api/v1/auth/refresh').send({ refresh_token: refreshToken });

    async function withSessions(): Promise<{ testUser: TestUser; current: Tokens; other: Tokens }> {
      const testUser = await createUser(testApp.dataSource);
      const current = await login(testApp, testUser);
      const other = await login(testApp, testUser);
      return { testUser, current, other };
    }

    it('returns 204, ends every other session and keeps the current one', async () => {
      const { testUser, current, other } = await withSessions();

      const response = await changePassword(current.access_token, {
        currentPassword: testUser.password,
        newPassword: NEW_PASSWORD,
      });

      expect(response.status).toBe(204);
      expect((await getMe(other.access_token)).status).toBe(401);
      expect((await refresh(other.refresh_token)).status).toBe(401);
      expect((await getMe(current.access_token)).status).toBe(200);
      expect((await refresh(current.refresh_token)).status).toBe(200);
    });

    it('replaces the password: the new one signs in, the old one no longer does', async () => {
      const { testUser, current } = await withSessions();

      await changePassword(current.access_token, {
        currentPassword: testUser.password,
        newPassword: NEW_PASSWORD,
      }).expect(204);

      const stored = await testApp.dataSource
        .getRepository(User)
        .findOneByOrFail({ id: testUser.user.id });
      expect(await bcrypt.compare(NEW_PASSWORD, stored.passwordHash)).toBe(true);
      await login(testApp, { user: stored, password: NEW_PASSWORD });
      const old = await testApp
        .http()
        .post('/api/v1/auth/login')
        .type('form')
        .send({ username: testUser.user.username, password: testUser.password });
      expect(old.status).toBe(401);
    });

    it('returns 403 for a wrong current password and changes nothing', async () => {
      const { testUser, current, other } = await withSessions();

      const response = await changePassword(current.access_token, {
        currentPassword: 'not the password at all',
        newPassword: NEW_PASSWORD,
      });

      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
      const stored = await testApp.dataSource
        .getRepository(User)
        .findOneByOrFail({ id: testUser.user.id });
      expect(stored.passwordHash).toBe(testUser.user.passwordHash);
      expect((await getMe(other.access_token)).status).toBe(200);
    });

    it.each([
      ['a missing new password', { currentPassword: 'CURRENT' }],
      ['a missing current password', { newPassword: NEW_PASSWORD }],
      ['a new password under 8 bytes', { currentPassword: 'CURRENT', newPassword: 'short' }],
      ['a new password over 72 bytes', { currentPassword: 'CURRENT', newPassword: 'é'.repeat(37) }],
      ['a common new password', { currentPassword: 'CURRENT', newPassword: 'password123' }],
      [
        'a new password holding the username',
        { currentPassword: 'CURRENT', newPassword: 'USERNAME-lantern-orbit' },
      ],
      ['a numeric new password', { currentPassword: 'CURRENT', newPassword: 12345678 }],
      ['an unknown field', { currentPassword: 'CURRENT', newPassword: NEW_PASSWORD, extra: true }],
    ])('returns 400 for %s and changes nothing', async (_case, template) => {
      const { testUser, current, other } = await withSessions();
      const body = JSON.parse(
        JSON.stringify(template)
          .replace('CURRENT', testUser.password)
          .replace('USERNAME', testUser.user.username),
      ) as object;

      const response = await changePassword(current.access_token, body);

      expect(response.status).toBe(400);
      const stored = await testApp.dataSource
        .getRepository(User)
        .findOneByOrFail({ id: testUser.user.id });
      expect(stored.passwordHash).toBe(testUser.user.passwordHash);
      expect((await getMe(other.access_token)).status).toBe(200);
    });

    it('returns 401 without a token', async () => {
      const response = await testApp
        .http()
        .post('/api/v1/users/me/password')
        .send({ currentPassword: 'x', newPassword: NEW_PASSWORD });

      expect(response.status).toBe(401);
    });
  });
});
