import { ActiveUserLookup } from '../src/sessions/active-user.lookup';
import { Session } from '../src/sessions/session.entity';
import { SessionsService } from '../src/sessions/sessions.service';
import { Role } from '../src/users/role.enum';
import { User } from '../src/users/user.entity';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser } from './support/factories/user.factory';

// ActiveUserLookup is hand-written SQL per database (the guarded path's hot query), so its rules
// are checked here directly, on SQLite and on PostgreSQL, beside the HTTP tests that use it.
describe(ActiveUserLookup.name, () => {
  let testApp: TestApp;
  let sessions: SessionsService;
  let activeUsers: ActiveUserLookup;

  beforeAll(async () => {
    testApp = await createTestApp();
    sessions = testApp.app.get(SessionsService);
    activeUsers = testApp.app.get(ActiveUserLookup);
  });

  afterAll(async () => {
    await testApp.close();
  });

  const client = { ip: '127.0.0.1', userAgent: 'jest' };

  describe('load', () => {
    it('returns the user of a live session as the repository would load it', async () => {
      const { user } = await createUser(testApp.dataSource, {
        fullName: 'Grace Hopper',
        roles: [Role.User, Role.Admin],
      });
      const { session } = await sessions.open(user.id, client);

      const loaded = await activeUsers.load(user.id, session.id);

      const expected = await testApp.dataSource
        .getRepository(User)
        .findOneByOrFail({ id: user.id });
      expect(loaded).toBeInstanceOf(User);
      expect(loaded).toEqual(expected);
      expect(loaded?.roles).toEqual([Role.User, Role.Admin]);
      expect(loaded?.isActive).toBe(true);
      expect(loaded?.createdAt).toBeInstanceOf(Date);
      expect(loaded?.isAdmin).toBe(true);
    });

    it('returns null for a revoked session', async () => {
      const { user } = await createUser(testApp.dataSource);
      const { session } = await sessions.open(user.id, client);
      await sessions.revoke(session.id);

      await expect(activeUsers.load(user.id, session.id)).resolves.toBeNull();
    });

    it('returns null for an expired session', async () => {
      const { user } = await createUser(testApp.dataSource);
      const { session } = await sessions.open(user.id, client);
      await testApp.dataSource
        .getRepository(Session)
        .update({ id: session.id }, { expiresAt: new Date(Date.now() - 1000) });

      await expect(activeUsers.load(user.id, session.id)).resolves.toBeNull();
    });

    it('returns the user while the session expires a second from now', async () => {
      const { user } = await createUser(testApp.dataSource);
      const { session } = await sessions.open(user.id, client);
      await testApp.dataSource
        .getRepository(Session)
        .update({ id: session.id }, { expiresAt: new Date(Date.now() + 1000) });

      await expect(activeUsers.load(user.id, session.id)).resolves.toMatchObject({
        id: user.id,
      });
    });

    it('returns null for a disabled user', async () => {
      const { user } = await createUser(testApp.dataSource);
      const { session } = await sessions.open(user.id, client);
      await testApp.dataSource.getRepository(User).update({ id: user.id }, { isActive: false });

      await expect(activeUsers.load(user.id, session.id)).resolves.toBeNull();
    });

    it('returns null when the session belongs to another user', async () => {
      const { user } = await createUser(testApp.dataSource);
      const { user: other } = await createUser(testApp.dataSource);
      const { session } = await sessions.open(other.id, client);

      await expect(activeUsers.load(user.id, session.id)).resolves.toBeNull();
    });

    it('returns null after the user is deleted', async () => {
      const { user } = await createUser(testApp.dataSource);
      const { session } = await sessions.open(user.id, client);
      await testApp.dataSource.getRepository(User).delete({ id: user.id });

      await expect(activeUsers.load(user.id, session.id)).resolves.toBeNull();
    });
  });
});
