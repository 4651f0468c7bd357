import { ConfigValidationError } from '../src/config/config-validation.error';
import { BootstrapAdminService } from '../src/users/bootstrap-admin.service';
import { User } from '../src/users/user.entity';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser, uniqueName } from './support/factories/user.factory';
import { createIsolatedDatabase, type IsolatedDatabase } from './support/isolated-database';

const ADMIN_PASSWORD = 'correct-horse-battery-staple-42';

describe(BootstrapAdminService.name, () => {
  let database: IsolatedDatabase;
  const apps: TestApp[] = [];

  beforeEach(async () => {
    database = await createIsolatedDatabase();
  });

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((testApp) => testApp.close()));
    await database.drop();
  });

  async function start(env: Record<string, string>): Promise<TestApp> {
    const testApp = await createTestApp({ DATABASE_URL: database.url, ...env });
    apps.push(testApp);
    return testApp;
  }

  function adminEnv(email: string, username: string, password = ADMIN_PASSWORD) {
    return { ADMIN_EMAIL: email, ADMIN_USERNAME: username, ADMIN_PASSWORD: password };
  }

  async function loginStatus(testApp: TestApp, username: string, password: string) {
    const response = await testApp.http().post('/api/v1/auth/login').send({ username, password });
    return response.status;
  }

  it('creates the admin once when two instances start together on one database', async () => {
    const username = uniqueName('root');
    const env = adminEnv(`${username}@example.com`, username);

    const [first, second] = await Promise.all([start(env), start(env)]);

    const admins = await first.dataSource
      .getRepository(User)
      .createQueryBuilder('user')
      .where('lower(user.email) = :email', { email: `${username}@example.com` })
      .getMany();
    expect(admins).toHaveLength(1);
    expect(admins[0]).toMatchObject({ username, isActive: true, emailVerified: true });
    expect(admins[0].roles).toContain('admin');
    expect(await loginStatus(second, username, ADMIN_PASSWORD)).toBe(200);
  });

  it('gives the created admin access to the admin routes', async () => {
    const username = uniqueName('root');
    const testApp = await start(adminEnv(`${username}@example.com`, username));
    const login = await testApp
      .http()
      .post('/api/v1/auth/login')
      .send({ username, password: ADMIN_PASSWORD });

    const response = await testApp
      .http()
      .get('/api/v1/users')
      .set('Authorization', `Bearer ${login.body.access_token}`);

    expect(response.status).toBe(200);
  });

  it('never overwrites an existing admin on a later start with other settings', async () => {
    const username = uniqueName('root');
    const email = `${username}@example.com`;
    const first = await start(adminEnv(email, username));
    await first.close();
    apps.splice(0);

    const second = await start(
      adminEnv(email.toUpperCase(), username, 'another-long-passphrase-77'),
    );

    expect(await loginStatus(second, username, ADMIN_PASSWORD)).toBe(200);
    expect(await loginStatus(second, username, 'another-long-passphrase-77')).toBe(401);
    expect(await second.dataSource.getRepository(User).countBy({ username })).toBe(1);
  });

  it('leaves an existing user with that email unchanged (no silent promotion)', async () => {
    const setup = await start({});
    const existing = await createUser(setup.dataSource);
    await setup.close();
    apps.splice(0);

    const testApp = await start(adminEnv(existing.user.email, uniqueName('root')));

    const stored = await testApp.dataSource.getRepository(User).findOneByOrFail({
      id: existing.user.id,
    });
    expect(stored.roles).toEqual(['user']);
    expect(await loginStatus(testApp, existing.user.username, existing.password)).toBe(200);
  });

  it.each([
    ['a password under 8 bytes', 'short', /ADMIN_PASSWORD: password must be 8 to 72 bytes long/],
    ['a password over 72 bytes', 'x'.repeat(73), /ADMIN_PASSWORD: password must be 8 to 72 bytes/],
  ])('stops start-up with a message naming the key for %s', async (_title, password, message) => {
    const username = uniqueName('root');

    const failure = start(adminEnv(`${username}@example.com`, username, password));

    await expect(failure).rejects.toThrow(ConfigValidationError);
    await expect(failure).rejects.toThrow(message);
  });

  it('stops start-up with a message for an invalid ADMIN_EMAIL or ADMIN_USERNAME', async () => {
    const failure = start(adminEnv('not-an-email', 'no spaces allowed'));

    await expect(failure).rejects.toThrow(/ADMIN_EMAIL: "not-an-email" is not a valid email/);
    await expect(failure).rejects.toThrow(/ADMIN_USERNAME: must be 3 to 32 characters/);
  });

  it('stops start-up when ADMIN_USERNAME belongs to another account', async () => {
    const setup = await start({});
    const other = await createUser(setup.dataSource);
    await setup.close();
    apps.splice(0);

    const failure = start(adminEnv(`${uniqueName('root')}@example.com`, other.user.username));

    await expect(failure).rejects.toThrow(/ADMIN_USERNAME: ".+" is already taken/);
  });
});
