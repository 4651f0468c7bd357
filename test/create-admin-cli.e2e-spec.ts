import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Role } from '../src/users/role.enum';
import { User } from '../src/users/user.entity';
import { bearer, login } from './support/auth-helpers';
import {
  createTestApp,
  TEST_ENCRYPTION_KEY,
  TEST_JWT_SECRET,
  type TestApp,
} from './support/create-test-app';
import { createUser, uniqueName } from './support/factories/user.factory';
import { createIsolatedDatabase, type IsolatedDatabase } from './support/isolated-database';

const ROOT = join(__dirname, '..');

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run user:create-admin` as an operator would, the password piped to stdin. */
function runCli(databaseUrl: string, args: string[], stdin: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'node_modules/ts-node/dist/bin.js'),
        '--transpile-only',
        'src/cli/create-admin.ts',
        ...args,
      ],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          DATABASE_URL: databaseUrl,
          JWT_SECRET: TEST_JWT_SECRET,
          ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
          BCRYPT_COST: '4',
          NODE_ENV: 'test',
        },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('npm run user:create-admin', () => {
  let database: IsolatedDatabase;
  let testApp: TestApp;

  beforeAll(async () => {
    database = await createIsolatedDatabase();
    testApp = await createTestApp({ DATABASE_URL: database.url });
  });

  afterAll(async () => {
    await testApp.close();
    await database.drop();
  });

  const loginStatus = async (username: string, password: string) =>
    (await testApp.http().post('/api/v1/auth/login').send({ username, password })).status;

  it('creates an active admin with the password read from stdin', async () => {
    const username = uniqueName('ops');

    const result = await runCli(
      database.url,
      ['--email', `${username}@example.com`, '--username', username],
      'a-long-enough-passphrase 7\n',
    );

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Created admin ${username}@example.com`);
    const stored = await testApp.dataSource.getRepository(User).findOneByOrFail({ username });
    expect(stored).toMatchObject({
      isActive: true,
      emailVerified: true,
      roles: [Role.User, Role.Admin],
    });
    expect(await loginStatus(username, 'a-long-enough-passphrase 7')).toBe(200);
  }, 60_000);

  const stored = (id: string) => testApp.dataSource.getRepository(User).findOneByOrFail({ id });
  const NEW_ADMIN_PASSWORD = 'operator chose this passphrase 9';

  it('refuses an account that already has the email, showing its state and changing nothing', async () => {
    const existing = await createUser(testApp.dataSource);

    const result = await runCli(
      database.url,
      ['--email', existing.user.email.toUpperCase()],
      `${NEW_ADMIN_PASSWORD}\n`,
    );

    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`username  ${existing.user.username}`);
    expect(result.stdout).toContain('active    yes');
    expect(result.stdout).toContain('roles     user');
    expect(result.stdout).toContain(`created   ${existing.user.createdAt.toISOString()}`);
    expect(result.stderr).toMatch(/--promote-existing/);
    expect(await stored(existing.user.id)).toMatchObject({
      roles: [Role.User],
      passwordHash: existing.user.passwordHash,
    });
    expect(await loginStatus(existing.user.username, existing.password)).toBe(200);
  }, 60_000);

  it('with --promote-existing, makes it an admin with the password from stdin and ends its sessions', async () => {
    const existing = await createUser(testApp.dataSource);
    const before = await login(testApp, existing);

    const result = await runCli(
      database.url,
      ['--email', existing.user.email, '--promote-existing'],
      `${NEW_ADMIN_PASSWORD}\n`,
    );

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`username  ${existing.user.username}`);
    expect(result.stdout).toContain(`Promoted ${existing.user.email}`);
    expect(await stored(existing.user.id)).toMatchObject({
      isActive: true,
      roles: [Role.User, Role.Admin],
    });
    // Whoever registered the address keeps nothing: not the password, not a session.
    expect(await loginStatus(existing.user.username, existing.password)).toBe(401);
    expect(await loginStatus(existing.user.username, NEW_ADMIN_PASSWORD)).toBe(200);
    const me = await testApp.http().get('/api/v1/users/me').set(bearer(before.access_token));
    expect(me.status).toBe(401);
    const refreshed = await testApp
      .http()
      .post('/api/v1/auth/refresh')
      .send({ refresh_token: before.refresh_token });
    expect(refreshed.status).toBe(401);
  }, 60_000);

  it('with --promote-existing, refuses a disabled account and leaves it disabled', async () => {
    const existing = await createUser(testApp.dataSource, { isActive: false });

    const result = await runCli(
      database.url,
      ['--email', existing.user.email, '--promote-existing'],
      `${NEW_ADMIN_PASSWORD}\n`,
    );

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('active    no');
    expect(result.stderr).toMatch(/disabled.*--reactivate/);
    expect(await stored(existing.user.id)).toMatchObject({
      isActive: false,
      roles: [Role.User],
      passwordHash: existing.user.passwordHash,
    });
  }, 60_000);

  it('with --promote-existing --reactivate, enables a disabled account as an admin with the new password', async () => {
    const existing = await createUser(testApp.dataSource, { isActive: false });

    const result = await runCli(
      database.url,
      ['--email', existing.user.email, '--promote-existing', '--reactivate'],
      `${NEW_ADMIN_PASSWORD}\n`,
    );

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(await stored(existing.user.id)).toMatchObject({
      isActive: true,
      roles: [Role.User, Role.Admin],
    });
    expect(await loginStatus(existing.user.username, NEW_ADMIN_PASSWORD)).toBe(200);
  }, 60_000);

  it.each([
    ['a password the rules refuse', [], 'password123\n', /too common/],
    ['a password holding the username', [], 'USERNAME-lantern-orbit\n', /must not contain/],
    ['another --username', ['--username', 'someone_else'], `${NEW_ADMIN_PASSWORD}\n`, /username/],
  ])(
    'with --promote-existing, exits 1 and changes nothing for %s',
    async (_case, extraArgs, stdin, message) => {
      const existing = await createUser(testApp.dataSource);

      const result = await runCli(
        database.url,
        ['--email', existing.user.email, '--promote-existing', ...extraArgs],
        stdin.replace('USERNAME', existing.user.username),
      );

      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(await stored(existing.user.id)).toMatchObject({
        roles: [Role.User],
        passwordHash: existing.user.passwordHash,
      });
    },
    60_000,
  );

  it('names the promotion flags in its usage text', async () => {
    const result = await runCli(database.url, ['--help'], '');

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--promote-existing/);
    expect(result.stdout).toMatch(/--reactivate/);
  }, 60_000);

  it.each([
    [
      'a password under 8 bytes',
      ['--email', 'weak@example.com', '--username', 'weakling'],
      'short\n',
      /8 to 72 bytes/,
    ],
    ['a missing --email', [], 'a-long-enough-passphrase\n', /--email is required/],
    ['an invalid email', ['--email', 'nope'], 'a-long-enough-passphrase\n', /not a valid email/],
    ['an unknown option', ['--email', 'x@example.com', '--role', 'admin'], '', /Unknown option/],
  ])(
    'exits 1 with a message for %s',
    async (_title, args, stdin, message) => {
      const result = await runCli(database.url, args, stdin);

      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(
        await testApp.dataSource.getRepository(User).existsBy({ email: 'weak@example.com' }),
      ).toBe(false);
    },
    60_000,
  );
});
