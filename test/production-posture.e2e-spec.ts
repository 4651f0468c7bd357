import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

interface Exit {
  status: number | null;
  stderr: string;
  stdout: string;
}

/**
 * Starts src/main.ts as an operator would start the app (through ts-node, so no build is
 * needed), in an empty directory (no .env, no ./data) and with only the given environment.
 */
function startApp(env: Record<string, string>): Exit {
  const cwd = mkdtempSync(join(tmpdir(), 'posture-'));
  try {
    const result = spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src/main.ts')],
      {
        cwd,
        env: {
          PATH: process.env.PATH ?? '',
          NODE_PATH: join(ROOT, 'node_modules'),
          TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
          DATABASE_URL: `sqlite:${join(cwd, 'app.sqlite')}`,
          PORT: '0',
          ...env,
        },
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    return { status: result.status, stderr: result.stderr, stdout: result.stdout };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

// Each start compiles the app with ts-node: a few seconds on a busy machine.
jest.setTimeout(60_000);

describe('Production posture', () => {
  it('refuses to start in production without JWT_SECRET and ENCRYPTION_KEY, one line each and no stack', () => {
    const exit = startApp({ NODE_ENV: 'production' });

    expect(exit.status).toBe(1);
    expect(exit.stderr.trim().split('\n')).toEqual([
      'Invalid configuration: JWT_SECRET: is required in production (at least 32 bytes)',
      'Invalid configuration: ENCRYPTION_KEY: is required in production (at least 32 bytes)',
    ]);
  });

  it('refuses to start in production with a short JWT_SECRET and BCRYPT_COST below 10', () => {
    const exit = startApp({
      NODE_ENV: 'production',
      JWT_SECRET: 'too-short',
      ENCRYPTION_KEY: 'posture-e2e-encryption-key-of-32-bytes',
      BCRYPT_COST: '9',
    });

    expect(exit.status).toBe(1);
    expect(exit.stderr.trim().split('\n')).toEqual([
      'Invalid configuration: JWT_SECRET: must be at least 32 bytes in production',
      'Invalid configuration: BCRYPT_COST: must be at least 10 in production',
    ]);
    expect(exit.stderr).not.toMatch(/\n\s+at /);
  });
});
