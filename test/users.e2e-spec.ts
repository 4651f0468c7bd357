import { randomUUID } from 'node:crypto';
import { Post } from '../src/posts/post.entity';
import { Session } from '../src/sessions/session.entity';
import { Role } from '../src/users/role.enum';
import { User } from '../src/users/user.entity';
import { UsersController } from '../src/users/users.controller';
import { LAST_ADMIN_MESSAGE } from '../src/users/user-admin.service';
import { bearer, login, type Tokens } from './support/auth-helpers';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser, uniqueName, type TestUser } from './support/factories/user.factory';
import { createIsolatedDatabase, type IsolatedDatabase } from './support/isolated-database';

interface Listed {
  id: string;
  createdAt: string;
}

/** The items of a page response, typed for the assertions that follow. */
const itemsOf = (response: { body: unknown }): Listed[] =>
  (response.body as { items: Listed[] }).items;

describe(UsersController.name, () => {
  let testApp: TestApp;
  let admin: TestUser;
  let adminTokens: Tokens;
  let member: TestUser;
  let memberTokens: Tokens;

  beforeAll(async () => {
    testApp = await createTestApp();
    admin = await createUser(testApp.dataSource, { roles: [Role.User, Role.Admin] });
    adminTokens = await login(testApp, admin);
    member = await createUser(testApp.dataSource);
    memberTokens = await login(testApp, member);
  });

  afterAll(async () => {
    await testApp.close();
  });

  const asAdmin = {
    get: (url: string) => testApp.http().get(url).set(bearer(adminTokens.access_token)),
  };
  const listUsers = (query: Record<string, string | number>) =>
    testApp.http().get('/api/v1/users').query(query).set(bearer(adminTokens.access_token));
  const patchUser = (id: string, body: unknown, token = adminTokens.access_token) =>
    testApp
      .http()
      .patch(`/api/v1/users/${id}`)
      .set(bearer(token))
      .send(body as object);
  const deleteUser = (id: string, token = adminTokens.access_token) =>
    testApp.http().delete(`/api/v1/users/${id}`).set(bearer(token));
  const loginStatus = async (username: string, password: string) =>
    (await testApp.http().post('/api/v1/auth/login').send({ username, password })).status;

  /** `count` users whose email, username or full name carries `marker`, created in order. */
  async function createMarkedUsers(marker: string, count: number): Promise<TestUser[]> {
    const users: TestUser[] = [];
    for (let index = 0; index < count; index += 1) {
      users.push(await createUser(testApp.dataSource, { username: `${marker}_${index}` }));
    }
    return users;
  }

  describe('GET /users', () => {
    it('returns the first page with the default limit of 20 in the public user shape', async () => {
      const response = await asAdmin.get('/api/v1/users');

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ page: 1, limit: 20 });
      expect(response.body.total).toBeGreaterThanOrEqual(2);
      expect(response.body.items.length).toBe(Math.min(20, response.body.total));
      for (const item of response.body.items) {
        expect(Object.keys(item).sort()).toEqual([
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
      }
    });

    it('pages through matches in a stable order with no overlap, then returns an empty page', async () => {
      const marker = uniqueName('page');
      const created = await createMarkedUsers(marker, 5);

      const pages = await Promise.all(
        [1, 2, 3, 4].map((page) => listUsers({ search: marker, limit: 2, page })),
      );

      expect(pages.map((page) => page.status)).toEqual([200, 200, 200, 200]);
      expect(pages.map((page) => itemsOf(page).length)).toEqual([2, 2, 1, 0]);
      for (const [index, page] of pages.entries()) {
        expect(page.body).toMatchObject({ total: 5, page: index + 1, limit: 2 });
      }
      const ids = pages.flatMap((page) => itemsOf(page).map((item) => item.id));
      const whole = await listUsers({ search: marker, limit: 100 });
      expect(ids).toEqual(itemsOf(whole).map((item) => item.id));
      expect([...ids].sort()).toEqual(created.map((testUser) => testUser.user.id).sort());
      const order = itemsOf(whole).map((item) => [item.createdAt, item.id].join(' '));
      expect(order).toEqual([...order].sort());
    });

    it('returns an empty page far past the end', async () => {
      const marker = uniqueName('far');
      await createMarkedUsers(marker, 1);

      const response = await listUsers({ search: marker, page: 1000000 });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ items: [], total: 1, page: 1000000, limit: 20 });
    });

    it('accepts the limits 1 and 100', async () => {
      const one = await listUsers({ limit: 1 });
      const hundred = await listUsers({ limit: 100 });

      expect(one.status).toBe(200);
      expect(one.body.items).toHaveLength(1);
      expect(hundred.status).toBe(200);
      expect(hundred.body.limit).toBe(100);
    });

    it('searches email, username and full name case-insensitively', async () => {
      const marker = uniqueName('find');
      const byEmail = await createUser(testApp.dataSource, {
        email: `${marker.toUpperCase()}@example.com`,
      });
      const byUsername = await createUser(testApp.dataSource, { username: `x${marker}x` });
      const byName = await createUser(testApp.dataSource, {
        fullName: `Ada ${marker.toUpperCase()} Lovelace`,
      });
      await createUser(testApp.dataSource, { fullName: 'Someone Else' });

      const response = await listUsers({ search: marker.toUpperCase() });

      expect(response.status).toBe(200);
      expect(response.body.total).toBe(3);
      expect(
        itemsOf(response)
          .map((item) => item.id)
          .sort(),
      ).toEqual([byEmail.user.id, byUsername.user.id, byName.user.id].sort());
    });

    it('does not match a term that spans two fields', async () => {
      const marker = uniqueName('span');
      const user = await createUser(testApp.dataSource, {
        email: `${marker}@example.com`,
        username: `${marker}_name`,
        fullName: `Full ${marker}`,
      });

      const acrossEmailAndUsername = await listUsers({ search: `example.com ${marker}` });
      const acrossUsernameAndName = await listUsers({ search: `_name full` });
      const withinName = await listUsers({ search: `full ${marker}` });

      expect(acrossEmailAndUsername.body).toMatchObject({ total: 0, items: [] });
      expect(itemsOf(acrossUsernameAndName).map((item) => item.id)).not.toContain(user.user.id);
      expect(itemsOf(withinName).map((item) => item.id)).toEqual([user.user.id]);
    });

    it('treats LIKE wildcards in the search as plain characters', async () => {
      const percent = await listUsers({ search: '%' });
      const underscoreRun = await listUsers({ search: '___' });

      expect(percent.body).toMatchObject({ total: 0, items: [] });
      expect(underscoreRun.body).toMatchObject({ total: 0, items: [] });
    });

    it('returns an empty list when nothing matches', async () => {
      const response = await listUsers({ search: uniqueName('nobody') });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ items: [], total: 0, page: 1, limit: 20 });
    });

    it.each([
      ['limit=0', 'limit=0'],
      ['limit=101', 'limit=101'],
      ['limit=-1', 'limit=-1'],
      ['limit=1.5', 'limit=1.5'],
      ['limit=abc', 'limit=abc'],
      ['limit=', 'limit='],
      ['page=0', 'page=0'],
      ['page=-1', 'page=-1'],
      ['page=abc', 'page=abc'],
      ['page=1e3', 'page=1e3'],
      ['page=0x10', 'page=0x10'],
      ['a repeated page', 'page=1&page=2'],
      ['a repeated search', 'search=a&search=b'],
      ['a search over 100 characters', `search=${'a'.repeat(101)}`],
      ['an unknown parameter', 'sort=email'],
    ])('returns 400 for %s', async (_title, query) => {
      const response = await asAdmin.get(`/api/v1/users?${query}`);

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    });

    it('returns 401 without a token', async () => {
      const response = await testApp.http().get('/api/v1/users');

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
    });

    it('returns 403 with a clear message for a user who is not an admin', async () => {
      const response = await testApp
        .http()
        .get('/api/v1/users')
        .set(bearer(memberTokens.access_token));

      expect(response.status).toBe(403);
      expect(response.body).toEqual({
        statusCode: 403,
        message: 'This action requires the admin role',
        error: 'Forbidden',
      });
    });
  });

  describe('GET /users/:id', () => {
    it('returns the user', async () => {
      const response = await asAdmin.get(`/api/v1/users/${member.user.id}`);

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        id: member.user.id,
        email: member.user.email,
        username: member.user.username,
        roles: ['user'],
        isActive: true,
      });
      expect(response.body.passwordHash).toBeUndefined();
    });

    it('still serves GET /users/me to any user', async () => {
      const response = await testApp
        .http()
        .get('/api/v1/users/me')
        .set(bearer(memberTokens.access_token));

      expect(response.status).toBe(200);
      expect(response.body.id).toBe(member.user.id);
    });

    it('returns 404 for an unknown id', async () => {
      const response = await asAdmin.get(`/api/v1/users/${randomUUID()}`);

      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    });

    it.each(['not-a-uuid', '123', `${randomUUID()}x`])(
      'returns 400 for the malformed id %s',
      async (id) => {
        const response = await asAdmin.get(`/api/v1/users/${id}`);

        expect(response.status).toBe(400);
      },
    );

    it('returns 401 without a token', async () => {
      const response = await testApp.http().get(`/api/v1/users/${member.user.id}`);

      expect(response.status).toBe(401);
    });

    it('returns 403 for a user who is not an admin, even for their own id', async () => {
      const response = await testApp
        .http()
        .get(`/api/v1/users/${member.user.id}`)
        .set(bearer(memberTokens.access_token));

      expect(response.status).toBe(403);
    });
  });

  describe('PATCH /users/:id', () => {
    it('changes the full name and the username', async () => {
      const target = await createUser(testApp.dataSource);
      const username = uniqueName('renamed');

      const response = await patchUser(target.user.id, { fullName: 'Grace Hopper', username });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        id: target.user.id,
        fullName: 'Grace Hopper',
        username,
      });
      expect(await loginStatus(username, target.password)).toBe(200);
    });

    it('clears the full name with null', async () => {
      const target = await createUser(testApp.dataSource, { fullName: 'To Be Cleared' });

      const response = await patchUser(target.user.id, { fullName: null });

      expect(response.status).toBe(200);
      expect(response.body.fullName).toBeNull();
    });

    it('returns the user unchanged for an empty body', async () => {
      const response = await patchUser(member.user.id, {});

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: member.user.id, username: member.user.username });
    });

    it('grants the admin role to tokens already issued, from the next request', async () => {
      const target = await createUser(testApp.dataSource);
      const tokens = await login(testApp, target);
      const before = await testApp.http().get('/api/v1/users').set(bearer(tokens.access_token));

      const patch = await patchUser(target.user.id, { roles: ['user', 'admin'] });
      const after = await testApp.http().get('/api/v1/users').set(bearer(tokens.access_token));

      expect(before.status).toBe(403);
      expect(patch.status).toBe(200);
      expect(patch.body.roles).toEqual(['user', 'admin']);
      expect(after.status).toBe(200);
    });

    it('withdraws the admin role from tokens already issued, from the next request', async () => {
      const target = await createUser(testApp.dataSource, { roles: [Role.User, Role.Admin] });
      const tokens = await login(testApp, target);
      const before = await testApp.http().get('/api/v1/users').set(bearer(tokens.access_token));

      const patch = await patchUser(target.user.id, { roles: ['user'] });
      const after = await testApp.http().get('/api/v1/users').set(bearer(tokens.access_token));

      expect(before.status).toBe(200);
      expect(patch.status).toBe(200);
      expect(after.status).toBe(403);
    });

    it.each<[string, unknown]>([
      ['an unknown role', { roles: ['superuser'] }],
      ['an empty roles array', { roles: [] }],
      ['roles as a string', { roles: 'admin' }],
      ['duplicate roles', { roles: ['user', 'user'] }],
      ['a role in the wrong case', { roles: ['Admin'] }],
      ['roles as null', { roles: null }],
      ['isActive as a string', { isActive: 'false' }],
      ['isActive as a number', { isActive: 0 }],
      ['isActive as null', { isActive: null }],
      ['an invalid username', { username: 'no spaces' }],
      ['a username as null', { username: null }],
      ['a full name over 100 characters', { fullName: 'x'.repeat(101) }],
      ['a full name as a number', { fullName: 42 }],
      ['an email (not changeable here)', { email: 'new@example.com' }],
      ['a password hash', { passwordHash: 'x' }],
    ])('returns 400 for %s', async (_title, body) => {
      const target = await createUser(testApp.dataSource);

      const response = await patchUser(target.user.id, body);
      const stored = await testApp.dataSource
        .getRepository(User)
        .findOneByOrFail({ id: target.user.id });

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(stored).toMatchObject({
        roles: ['user'],
        isActive: true,
        username: target.user.username,
      });
    });

    it('returns 409 for a username taken by another user, in any case', async () => {
      const target = await createUser(testApp.dataSource);

      const response = await patchUser(target.user.id, {
        username: member.user.username.toUpperCase(),
      });

      expect(response.status).toBe(409);
      expect(response.body).toEqual({
        statusCode: 409,
        message: 'Username is already taken',
        error: 'Conflict',
      });
    });

    it('returns 404 for an unknown id', async () => {
      const response = await patchUser(randomUUID(), { fullName: 'Nobody' });

      expect(response.status).toBe(404);
    });

    it('returns 404 for an unknown id even when the change could remove an admin', async () => {
      const response = await patchUser(randomUUID(), { isActive: false });

      expect(response.status).toBe(404);
    });

    it('returns 400 for a malformed id', async () => {
      const response = await patchUser('not-a-uuid', { fullName: 'X' });

      expect(response.status).toBe(400);
    });

    it('returns 401 without a token', async () => {
      const response = await testApp
        .http()
        .patch(`/api/v1/users/${member.user.id}`)
        .send({ fullName: 'X' });

      expect(response.status).toBe(401);
    });

    it('returns 403 for a user who is not an admin and changes nothing', async () => {
      const response = await patchUser(
        member.user.id,
        { roles: ['user', 'admin'] },
        memberTokens.access_token,
      );
      const stored = await testApp.dataSource
        .getRepository(User)
        .findOneByOrFail({ id: member.user.id });

      expect(response.status).toBe(403);
      expect(stored.roles).toEqual(['user']);
    });
  });

  describe('disabling and enabling a user', () => {
    it('refuses their token from the next request, their login with 403 or 401, and lets them back after enabling', async () => {
      const target = await createUser(testApp.dataSource);
      const tokens = await login(testApp, target);
      const me = () => testApp.http().get('/api/v1/users/me').set(bearer(tokens.access_token));
      expect((await me()).status).toBe(200);

      const disable = await patchUser(target.user.id, { isActive: false });

      expect(disable.status).toBe(200);
      expect(disable.body.isActive).toBe(false);
      expect((await me()).status).toBe(401);
      const correct = await testApp
        .http()
        .post('/api/v1/auth/login')
        .send({ username: target.user.username, password: target.password });
      expect(correct.status).toBe(403);
      expect(correct.body.message).toBe('This account is disabled');
      const wrong = await testApp
        .http()
        .post('/api/v1/auth/login')
        .send({ username: target.user.username, password: 'wrong-password-123' });
      expect(wrong.status).toBe(401);
      expect(wrong.body.message).toBe('Incorrect username or password');

      const enable = await patchUser(target.user.id, { isActive: true });

      expect(enable.status).toBe(200);
      expect(enable.body.isActive).toBe(true);
      const again = await login(testApp, target);
      const meAgain = await testApp.http().get('/api/v1/users/me').set(bearer(again.access_token));
      expect(meAgain.status).toBe(200);
    });

    it('ends their sessions, so re-enabling does not revive the old tokens', async () => {
      const target = await createUser(testApp.dataSource);
      const tokens = await login(testApp, target);

      await patchUser(target.user.id, { isActive: false });
      await patchUser(target.user.id, { isActive: true });
      const response = await testApp
        .http()
        .get('/api/v1/users/me')
        .set(bearer(tokens.access_token));
      const sessions = await testApp.dataSource
        .getRepository(Session)
        .findBy({ userId: target.user.id });

      expect(response.status).toBe(401);
      expect(sessions).toHaveLength(1);
      expect(sessions[0].revokedAt).toBeInstanceOf(Date);
    });
  });

  describe('DELETE /users/:id', () => {
    it('deletes the user with their sessions and posts and refuses their token', async () => {
      const target = await createUser(testApp.dataSource);
      const tokens = await login(testApp, target);
      const post = await testApp
        .http()
        .post('/api/v1/posts')
        .set(bearer(tokens.access_token))
        .send({ title: 'Soon gone', content: 'With its author.' });
      expect(post.status).toBe(201);

      const response = await deleteUser(target.user.id);

      expect(response.status).toBe(204);
      expect(response.text).toBe('');
      expect((await asAdmin.get(`/api/v1/users/${target.user.id}`)).status).toBe(404);
      expect(
        await testApp.dataSource.getRepository(Session).countBy({ userId: target.user.id }),
      ).toBe(0);
      expect(
        await testApp.dataSource.getRepository(Post).countBy({ authorId: target.user.id }),
      ).toBe(0);
      expect((await testApp.http().get(`/api/v1/posts/${post.body.id}`)).status).toBe(404);
      const me = await testApp.http().get('/api/v1/users/me').set(bearer(tokens.access_token));
      expect(me.status).toBe(401);
      expect(await loginStatus(target.user.username, target.password)).toBe(401);
    });

    it('lets an admin delete another admin while one remains', async () => {
      const other = await createUser(testApp.dataSource, { roles: [Role.Admin] });

      const response = await deleteUser(other.user.id);

      expect(response.status).toBe(204);
    });

    it('returns 404 for an unknown id', async () => {
      const response = await deleteUser(randomUUID());

      expect(response.status).toBe(404);
    });

    it('returns 400 for a malformed id', async () => {
      const response = await deleteUser('not-a-uuid');

      expect(response.status).toBe(400);
    });

    it('returns 401 without a token', async () => {
      const response = await testApp.http().delete(`/api/v1/users/${member.user.id}`);

      expect(response.status).toBe(401);
    });

    it('returns 403 for a user who is not an admin and deletes nothing', async () => {
      const target = await createUser(testApp.dataSource);

      const response = await deleteUser(target.user.id, memberTokens.access_token);

      expect(response.status).toBe(403);
      expect(await testApp.dataSource.getRepository(User).existsBy({ id: target.user.id })).toBe(
        true,
      );
    });
  });
});

describe('the last active admin', () => {
  // A database of its own: the rule is about every admin in the table, and in PostgreSQL mode the
  // other test files share the run's database.
  let database: IsolatedDatabase;
  let testApp: TestApp;
  let admin: TestUser;
  let token: string;

  beforeEach(async () => {
    database = await createIsolatedDatabase();
    testApp = await createTestApp({ DATABASE_URL: database.url });
    admin = await createUser(testApp.dataSource, { roles: [Role.User, Role.Admin] });
    token = (await login(testApp, admin)).access_token;
  });

  afterEach(async () => {
    await testApp.close();
    await database.drop();
  });

  const patch = (id: string, body: object, as = token) =>
    testApp.http().patch(`/api/v1/users/${id}`).set(bearer(as)).send(body);
  const remove = (id: string, as = token) =>
    testApp.http().delete(`/api/v1/users/${id}`).set(bearer(as));
  const stored = (id: string) => testApp.dataSource.getRepository(User).findOneByOrFail({ id });

  it.each<[string, object]>([
    ['disable', { isActive: false }],
    ['demote', { roles: ['user'] }],
    ['disable and demote', { isActive: false, roles: ['user'] }],
  ])('refuses to %s the last active admin with 409', async (_title, body) => {
    const response = await patch(admin.user.id, body);

    expect(response.status).toBe(409);
    expect(response.body).toEqual({
      statusCode: 409,
      message: LAST_ADMIN_MESSAGE,
      error: 'Conflict',
    });
    expect(await stored(admin.user.id)).toMatchObject({ isActive: true, roles: ['user', 'admin'] });
  });

  it('refuses to delete the last active admin with 409', async () => {
    const response = await remove(admin.user.id);

    expect(response.status).toBe(409);
    expect(response.body.message).toBe(LAST_ADMIN_MESSAGE);
    expect(await testApp.dataSource.getRepository(User).existsBy({ id: admin.user.id })).toBe(true);
  });

  it('lets the last admin change their own name and keep the admin role', async () => {
    const response = await patch(admin.user.id, {
      fullName: 'Root',
      roles: ['admin'],
      isActive: true,
    });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ fullName: 'Root', roles: ['admin'], isActive: true });
  });

  it('does not count a disabled admin as the one that remains', async () => {
    await createUser(testApp.dataSource, { roles: [Role.Admin], isActive: false });

    const response = await patch(admin.user.id, { roles: ['user'] });

    expect(response.status).toBe(409);
  });

  it('lets an admin step down, or be deleted, once another admin is active', async () => {
    const other = await createUser(testApp.dataSource, { roles: [Role.Admin] });
    const otherToken = (await login(testApp, other)).access_token;

    const demote = await patch(admin.user.id, { roles: ['user'] });
    const lastOneNow = await patch(other.user.id, { isActive: false }, otherToken);
    const deleteDemoted = await remove(admin.user.id, otherToken);

    expect(demote.status).toBe(200);
    expect(lastOneNow.status).toBe(409);
    expect(deleteDemoted.status).toBe(204);
  });

  it('disables another admin while one remains, then refuses the last', async () => {
    const other = await createUser(testApp.dataSource, { roles: [Role.Admin] });

    const first = await patch(other.user.id, { isActive: false });
    const second = await patch(admin.user.id, { isActive: false });

    expect(first.status).toBe(200);
    expect(second.status).toBe(409);
  });

  it('keeps one active admin when two admins demote each other at the same time', async () => {
    const other = await createUser(testApp.dataSource, { roles: [Role.Admin] });
    const otherToken = (await login(testApp, other)).access_token;

    const responses = await Promise.all([
      patch(other.user.id, { roles: ['user'] }),
      patch(admin.user.id, { roles: ['user'] }, otherToken),
    ]);

    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409 || status === 403)).toHaveLength(1);
    const admins = await testApp.dataSource
      .getRepository(User)
      .find()
      .then((users) => users.filter((user) => user.isActive && user.roles.includes(Role.Admin)));
    expect(admins).toHaveLength(1);
  });

  it('keeps one active admin when two admins delete each other at the same time', async () => {
    const other = await createUser(testApp.dataSource, { roles: [Role.Admin] });
    const otherToken = (await login(testApp, other)).access_token;

    const responses = await Promise.all([remove(other.user.id), remove(admin.user.id, otherToken)]);

    const statuses = responses.map((response) => response.status).sort();
    expect(statuses[0]).toBe(204);
    expect([401, 409]).toContain(statuses[1]);
    expect(await testApp.dataSource.getRepository(User).count()).toBe(1);
  });
});
