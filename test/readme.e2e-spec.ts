import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { ensureBuilt, startBuiltApp, waitForStatus, type BuiltApp } from './support/built-app';

const README = join(__dirname, '..', 'README.md');
const MARKER = '<!-- readme-test:';
/** The address the README tells a newcomer to use; the test swaps in the port it started. */
const README_ORIGIN = 'http://localhost:3000';

/** The shell block right after the README's test marker, exactly as a reader copies it. */
function curlSession(markdown: string): string {
  const markerAt = markdown.indexOf(MARKER);
  if (markerAt < 0) {
    throw new Error(`README.md has no "${MARKER}" comment before its curl session`);
  }
  const block = /```sh\n([\s\S]*?)```/.exec(markdown.slice(markerAt));
  if (!block) {
    throw new Error('README.md has no ```sh block after its test marker');
  }
  return block[1];
}

describe('README.md', () => {
  let directory: string;
  let app: BuiltApp;

  beforeAll(async () => {
    await ensureBuilt();
    // A fresh clone's first run: development defaults, no configuration at all, SQLite under
    // ./data/ of its own folder.
    directory = mkdtempSync(join(tmpdir(), 'nest-auth-readme-'));
    app = await startBuiltApp({}, { cwd: directory });
    await waitForStatus(app, '/api/v1/health');
  }, 200_000);

  afterAll(async () => {
    await app?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('keeps the two commands in its first 40 lines', () => {
    const top = readFileSync(README, 'utf8').split('\n').slice(0, 40).join('\n');

    expect(top).toContain('npm ci && npm start');
    expect(top).toContain('npm test');
  });

  it('runs its curl session as written, against the server started with no configuration', async () => {
    const session = curlSession(readFileSync(README, 'utf8'));
    expect(session).toContain(README_ORIGIN);

    const { stdout, stderr } = await promisify(execFile)(
      'bash',
      // --norc: bash reads the system bashrc when its stdin is a socket, as Node's pipes are.
      [
        '--norc',
        '--noprofile',
        '-euo',
        'pipefail',
        '-c',
        session.replaceAll(README_ORIGIN, app.baseUrl),
      ],
      {
        env: { PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` },
        timeout: 60_000,
      },
    );

    expect(stderr).toBe('');
    // Register, then /users/me with the access token from the login.
    expect(stdout.match(/"username":"ada"/g)).toHaveLength(2);
    expect(stdout).toContain('"roles":["user"]');
    // The session list, read with the access token from the refresh.
    expect(stdout).toMatch(/\[\{"id":"[0-9a-f-]{36}".*"current":true/);
    expect(stdout).toContain('logout: 204\n');
    expect(stdout).toContain('after logout: 401\n');
    expect(stdout).not.toContain('undefined');
  });
});
