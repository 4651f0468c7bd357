import { ActiveUserLookup } from '../src/sessions/active-user.lookup';
import { Session } from '../src/sessions/session.entity';
import { SessionsService, type IssuedSession } from '../src/sessions/sessions.service';
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
  const openFor = async (user: User): Promise<IssuedSession> => {
    const issued = await sessions.open(
      { userId: user.id, passwordHash: user.passwordHash },
      client,
    );
    if (!issued) {
      throw new Error('the session was not opened');
    }
    return issued;
  };

  describe('load', () => {
    it('returns the user of a live session as the repository would load it', async () => {
      const { user } = await createUser(testApp.dataSource, {
        fullName: 'Grace Hopper',
        roles: [Role.User, Role.Admin],
      });
      const { session } = await openFor(user);

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
      const { session } = await openFor(user);
      await sessions.revoke(session.id);

      await expect(activeUsers.load(user.id, session.id)).resolves.toBeNull();
    });

    it('returns null for an expired session', async () => {
      const { user } = await createUser(testApp.dataSource);
      const { session } = await openFor(user);
      await testApp.dataSource
        .getRepository(Session)
        .update({ id: session.id }, { expiresAt: new Date(Date.now() - 1000) });

      await expect(activeUsers.load(user.id, session.id)).resolves.toBeNull();
    });

    it('returns the user while the session expires a second from now', async () => {
      const { user } = await createUser(testApp.dataSource);
      const { session } = await openFor(user);
      await testApp.dataSource
        .getRepository(Session)
        .update({ id: session.id }, { expiresAt: new Date(Date.now() + 1000) });

      await expect(activeUsers.load(user.id, session.id)).resolves.toMatchObject({
        id: user.id,
      });
    });

    it('returns null for a disabled user', async () => {
      const { user } = await createUser(testApp.dataSource);
      const { session } = await openFor(user);
      await testApp.dataSource.getRepository(User).update({ id: user.id }, { isActive: false });

      await expect(activeUsers.load(user.id, session.id)).resolves.toBeNull();
    });

    it('returns null when the session belongs to another user', async () => {
      const { user } = await createUser(testApp.dataSource);
      const { user: other } = await createUser(testApp.dataSource);
      const { session } = await openFor(other);

      await expect(activeUsers.load(user.id, session.id)).resolves.toBeNull();
    });

    it('returns null after the user is deleted', async () => {
      const { user } = await createUser(testApp.dataSource);
      const { session } = await openFor(user);
      await testApp.dataSource.getRepository(User).delete({ id: user.id });

      await expect(activeUsers.load(user.id, session.id)).resolves.toBeNull();
    });
  });
});

// The conditional insert behind every login (src/sessions/session-insert.ts) is hand-written SQL
// per database too; the races it closes are run in test/login-races.e2e-spec.ts.
describe(`${SessionsService.name}.open`, () => {
  let testApp: TestApp;
  let sessions: SessionsService;

  beforeAll(async () => {
    testApp = await createTestApp();
    sessions = testApp.app.get(SessionsService);
  });

  afterAll(async () => {
    await testApp.close();
  });

  const client = { ip: '127.0.0.1', userAgent: 'jest' };
  const sessionCount = (userId: string) =>
    testApp.dataSource.getRepository(Session).countBy({ userId });

  it('opens a session of an active user with the verified hash, stored as a repository would', async () => {
    const { user } = await createUser(testApp.dataSource);

    const issued = await sessions.open(
      { userId: user.id, passwordHash: user.passwordHash },
      client,
    );

    expect(issued).not.toBeNull();
    const stored = await testApp.dataSource
      .getRepository(Session)
      .findOneByOrFail({ id: issued?.session.id });
    expect(stored).toEqual({ ...issued?.session, user: undefined });
    expect(stored.revokedAt).toBeNull();
  });

  it.each([
    [
      'the password hash changed',
      (user: User) => ({ passwordHash: `${user.passwordHash}-changed` }),
    ],
    ['the user was disabled', () => ({ isActive: false })],
  ])('returns null and opens nothing when %s', async (_case, change) => {
    const { user } = await createUser(testApp.dataSource);
    await testApp.dataSource.getRepository(User).update({ id: user.id }, change(user));

    const issued = await sessions.open(
      { userId: user.id, passwordHash: user.passwordHash },
      client,
    );

    expect(issued).toBeNull();
    expect(await sessionCount(user.id)).toBe(0);
  });

  it('returns null, not a foreign-key error, when the user was deleted', async () => {
    const { user } = await createUser(testApp.dataSource);
    await testApp.dataSource.getRepository(User).delete({ id: user.id });

    await expect(
      sessions.open({ userId: user.id, passwordHash: user.passwordHash }, client),
    ).resolves.toBeNull();
    expect(await sessionCount(user.id)).toBe(0);
  });
});
