import { transformFileSync } from '@swc/core';
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { AppConfigModule } from '../src/config/config.module';

const ROOT = resolve(__dirname, '..');
const SECRET = 'config-e2e-secret-with-at-least-32-bytes';
const ENCRYPTION_KEY = 'config-e2e-encryption-key-of-32-bytes-or-more';
const PASSWORD = 'correct horse battery staple';

/**
 * Compiles src/ to CommonJS with SWC (as Jest does), without type checking: a second or so,
 * where `nest build` takes many, and each process then starts in half the time ts-node needs.
 */
function compileSources(outDirectory: string): string {
  const sourceRoot = join(ROOT, 'src');
  const files = readdirSync(sourceRoot, { recursive: true, encoding: 'utf8' }).filter(
    (file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'),
  );
  for (const file of files) {
    const { code } = transformFileSync(join(sourceRoot, file), {
      swcrc: false,
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: {
          legacyDecorator: true,
          decoratorMetadata: true,
          useDefineForClassFields: false,
        },
        target: 'es2022',
        keepClassNames: true,
      },
      module: { type: 'commonjs' },
    });
    const target = join(outDirectory, file.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, code);
  }
  // The mail templates, as nest-cli.json's assets copy them to dist/ (registration mails one).
  cpSync(join(sourceRoot, 'mail', 'templates'), join(outDirectory, 'mail', 'templates'), {
    recursive: true,
  });
  return join(outDirectory, 'main.js');
}

type Environment = Record<string, string>;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

let buildDirectory: string;
let main: string;

beforeAll(() => {
  buildDirectory = mkdtempSync(join(tmpdir(), 'nest-auth-build-'));
  main = compileSources(buildDirectory);
});

afterAll(() => {
  rmSync(buildDirectory, { recursive: true, force: true });
});

/** The real entry point (main.ts) in its own working directory, with only the variables given. */
function launch(env: Environment, cwd: string): { child: ChildProcess; exited: Promise<Exit> } {
  const child = spawn(process.execPath, [main], {
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      // The build lives outside the repository; its packages are the repository's.
      NODE_PATH: join(ROOT, 'node_modules'),
      NO_COLOR: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exit>((done) => {
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
  return { child, exited };
}

async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === 'string') {
    throw new Error('no port');
  }
  return address.port;
}

/** Starts the app and waits until it answers; `stop` sends SIGTERM and waits for the exit. */
async function startServing(env: Environment, cwd: string) {
  const port = await freePort();
  const { child, exited } = launch({ HOST: '127.0.0.1', PORT: String(port), ...env }, cwd);
  const baseUrl = `http://127.0.0.1:${port}/api/v1`;
  let exit: Exit | undefined;
  void exited.then((result) => (exit = result));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exit) {
      throw new Error(`the app exited early (${exit.code}): ${exit.stderr}${exit.stdout}`);
    }
    try {
      if ((await fetch(`${baseUrl}/health/live`)).ok) {
        break;
      }
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the app did not start within 30 s');
    }
    await new Promise((wait) => setTimeout(wait, 100));
  }
  return {
    baseUrl,
    stop: async (): Promise<Exit> => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

describe(AppConfigModule.name, () => {
  let workDirectory: string;

  beforeEach(() => {
    workDirectory = mkdtempSync(join(tmpdir(), 'nest-auth-config-e2e-'));
  });

  afterEach(() => {
    rmSync(workDirectory, { recursive: true, force: true });
  });

  describe('invalid configuration', () => {
    const cases: [key: string, env: Environment][] = [
      ['DATABASE_URL', { DATABASE_URL: 'mysql://localhost/app' }],
      ['DATABASE_URL', { DATABASE_URL: 'sqlite:' }],
      ['DATABASE_URL', { DATABASE_URL: 'postgres://[::1' }],
      ['JWT_ACCESS_TTL', { JWT_ACCESS_TTL: 'soon' }],
      ['JWT_ACCESS_TTL', { JWT_ACCESS_TTL: '0' }],
      ['JWT_REFRESH_TTL', { JWT_REFRESH_TTL: '2w' }],
      ['JWT_SESSION_MAX_AGE', { JWT_SESSION_MAX_AGE: 'forever' }],
      ['BCRYPT_COST', { BCRYPT_COST: '3' }],
      ['BCRYPT_COST', { BCRYPT_COST: '16' }],
      ['BCRYPT_COST', { BCRYPT_COST: 'abc' }],
      ['JWT_SECRET', { NODE_ENV: 'production', ENCRYPTION_KEY }],
      ['JWT_SECRET', { NODE_ENV: 'production', ENCRYPTION_KEY, JWT_SECRET: '' }],
      [
        'JWT_SECRET',
        { NODE_ENV: 'production', ENCRYPTION_KEY, JWT_SECRET: 'only-31-bytes-long-secret-value' },
      ],
      [
        'BCRYPT_COST',
        { NODE_ENV: 'production', ENCRYPTION_KEY, JWT_SECRET: SECRET, BCRYPT_COST: '9' },
      ],
      ['ENCRYPTION_KEY', { NODE_ENV: 'production', JWT_SECRET: SECRET }],
      ['ENCRYPTION_KEY', { NODE_ENV: 'production', JWT_SECRET: SECRET, ENCRYPTION_KEY: 'short' }],
      ['PORT', { PORT: 'http' }],
      ['PORT', { PORT: '70000' }],
      ['TRUST_PROXY', { TRUST_PROXY: 'yes' }],
      ['REDIS_URL', { REDIS_URL: 'localhost:6379' }],
      ['NODE_ENV', { NODE_ENV: 'staging' }],
      ['JWT_ALGORITHM', { JWT_ALGORITHM: 'none' }],
      [
        'JWT_PRIVATE_KEY',
        { NODE_ENV: 'production', JWT_ALGORITHM: 'ES256', JWT_SECRET: SECRET, ENCRYPTION_KEY },
      ],
      [
        'JWT_PRIVATE_KEY',
        { NODE_ENV: 'production', JWT_ALGORITHM: 'RS256', BCRYPT_COST: '10', ENCRYPTION_KEY },
      ],
      ['JWT_PRIVATE_KEY', { JWT_ALGORITHM: 'ES256', JWT_PRIVATE_KEY: 'not a key' }],
      [
        'JWT_PRIVATE_KEY_FILE',
        { JWT_ALGORITHM: 'ES256', JWT_PRIVATE_KEY_FILE: '/no/such/key.pem' },
      ],
      ['PUBLIC_URL', { PUBLIC_URL: 'api.example.com' }],
    ];

    // A few at a time, each in its own directory: a process spends its time loading Nest.
    let results: { exit: Exit; secretWritten: boolean }[];
    beforeAll(async () => {
      results = await mapConcurrently(cases, 4, async ([, env]) => {
        const directory = mkdtempSync(join(tmpdir(), 'nest-auth-config-e2e-'));
        try {
          const exit = await launch(env, directory).exited;
          // Nothing generated: no development secret, no development private key.
          const written = existsSync(join(directory, 'data'))
            ? readdirSync(join(directory, 'data')).filter((file) => file.startsWith('jwt-'))
            : [];
          return { exit, secretWritten: written.length > 0 };
        } finally {
          rmSync(directory, { recursive: true, force: true });
        }
      });
    }, 120_000);

    it.each(cases.map(([key, env], index) => [key, JSON.stringify(env), index] as const))(
      'stops start-up with a non-zero exit and one line naming %s for %s',
      (key, _env, index) => {
        const { exit, secretWritten } = results[index];
        const lines = exit.stderr.split('\n').filter((line) => line.trim() !== '');

        expect(exit.code).not.toBe(0);
        expect(exit.code).not.toBeNull();
        expect(lines).toEqual([
          expect.stringMatching(new RegExp(`^Invalid configuration: ${key}: `)),
        ]);
        // Refused before anything was written, the development secret included.
        expect(secretWritten).toBe(false);
      },
    );
  });

  describe('valid configuration', () => {
    it('starts in production with ES256, a key file and no JWT_SECRET, and serves the JWKS', async () => {
      const keyFile = join(workDirectory, 'signing-key.pem');
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      writeFileSync(keyFile, privateKey.export({ type: 'sec1', format: 'pem' }));
      const app = await startServing(
        {
          NODE_ENV: 'production',
          JWT_ALGORITHM: 'ES256',
          JWT_PRIVATE_KEY_FILE: keyFile,
          ENCRYPTION_KEY,
          BCRYPT_COST: '10',
        },
        workDirectory,
      );
      try {
        const jwks = await fetch(`${app.baseUrl.replace(/\/api\/v1$/, '')}/.well-known/jwks.json`);

        expect(jwks.status).toBe(200);
        expect(((await jwks.json()) as { keys: unknown[] }).keys).toHaveLength(1);
        expect(existsSync(join(workDirectory, 'data', 'jwt-secret'))).toBe(false);
      } finally {
        await app.stop();
      }
    }, 60_000);

    it('starts in production with the default SQLite database, migrated, and stops on SIGTERM', async () => {
      const app = await startServing(
        { NODE_ENV: 'production', JWT_SECRET: SECRET, ENCRYPTION_KEY, BCRYPT_COST: '10' },
        workDirectory,
      );
      try {
        const health = await fetch(`${app.baseUrl}/health`);

        expect(health.status).toBe(200);
        expect(existsSync(join(workDirectory, 'data', 'app.sqlite'))).toBe(true);
        expect(existsSync(join(workDirectory, 'data', 'jwt-secret'))).toBe(false);
      } finally {
        const exit = await app.stop();
        expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
      }
    }, 60_000);

    it('generates a development secret under ./data/, warns, and keeps tokens valid across a restart', async () => {
      const env = { NODE_ENV: 'development', BCRYPT_COST: '4' };
      const first = await startServing(env, workDirectory);
      let accessToken: string;
      let firstExit: Exit;
      try {
        const username = `restart_${Date.now()}`;
        const registered = await fetch(`${first.baseUrl}/auth/register`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ email: `${username}@example.com`, username, password: PASSWORD }),
        });
        expect(registered.status).toBe(201);
        const login = await fetch(`${first.baseUrl}/auth/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ username, password: PASSWORD }).toString(),
        });
        expect(login.status).toBe(200);
        accessToken = ((await login.json()) as { access_token: string }).access_token;
      } finally {
        firstExit = await first.stop();
      }
      const secretFile = join(workDirectory, 'data', 'jwt-secret');
      const secret = readFileSync(secretFile, 'utf8').trim();
      expect(Buffer.byteLength(secret)).toBeGreaterThanOrEqual(32);
      expect(`${firstExit.stdout}${firstExit.stderr}`).toMatch(/"level":40.*JWT_SECRET is not set/);

      const second = await startServing(env, workDirectory);
      try {
        const me = await fetch(`${second.baseUrl}/users/me`, {
          headers: { Authorization: `Bearer ${accessToken}` },
        });

        expect(me.status).toBe(200);
        expect(readFileSync(secretFile, 'utf8').trim()).toBe(secret);
      } finally {
        await second.stop();
      }
    }, 90_000);
  });
});
