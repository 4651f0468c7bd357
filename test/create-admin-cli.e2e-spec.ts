import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Role } from '../src/users/role.enum';
import { User } from '../src/users/user.entity';
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
    expect(stored).toMatchObject({ isActive: true, roles: [Role.User, Role.Admin] });
    expect(await loginStatus(username, 'a-long-enough-passphrase 7')).toBe(200);
  }, 60_000);

  it('promotes and enables an existing user with that email, keeping their password', async () => {
    const existing = await createUser(testApp.dataSource, { isActive: false });

    const result = await runCli(database.url, ['--email', existing.user.email.toUpperCase()], '');

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Promoted');
    const stored = await testApp.dataSource
      .getRepository(User)
      .findOneByOrFail({ id: existing.user.id });
    expect(stored).toMatchObject({ isActive: true, roles: [Role.User, Role.Admin] });
    expect(await loginStatus(existing.user.username, existing.password)).toBe(200);
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
