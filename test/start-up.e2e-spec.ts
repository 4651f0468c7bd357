import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, startBuiltApp, waitForStatus } from './support/built-app';

interface LogRecord {
  level: number;
  msg: string;
  context?: string;
}

const INFO = 30;
const WARN = 40;
const DEBUG = 20;

/** Every line the process wrote; JSON.parse throws on the first one that is not JSON. */
function parseLines(output: string): LogRecord[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as LogRecord;
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
    });
}

describe('Start-up output of node dist/main.js', () => {
  let directory: string;

  beforeAll(async () => {
    await ensureBuilt();
    directory = mkdtempSync(join(tmpdir(), 'nest-auth-start-up-'));
  }, 200_000);

  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  /** Starts the app as a newcomer does (development, no JWT_SECRET), in its own folder. */
  async function startAndStop(name: string, logLevel: string): Promise<LogRecord[]> {
    const cwd = mkdtempSync(join(directory, `${name}-`));
    const app = await startBuiltApp(
      { NODE_ENV: 'development', DATABASE_URL: 'sqlite:./data/app.sqlite', LOG_LEVEL: logLevel },
      { cwd },
    );
    try {
      await waitForStatus(app, '/api/v1/health/live');
    } finally {
      await app.stop();
    }
    expect(existsSync(join(cwd, 'data', 'jwt-secret'))).toBe(true);
    return parseLines(app.output());
  }

  it('at info: JSON from the first line, no route lines, the dev-key warning, where to go', async () => {
    const records = await startAndStop('info', 'info');
    const listening = records.filter((record) => record.msg.startsWith('Listening on'));

    expect(records.map((record) => record.context)).not.toContain('RouterExplorer');
    expect(records.map((record) => record.context)).not.toContain('RoutesResolver');
    expect(records.some((record) => record.msg.includes('Mapped {'))).toBe(false);
    expect(records.find((record) => record.level === WARN)?.msg).toMatch(
      /^JWT_SECRET is not set: using a generated development key kept in .*data\/jwt-secret$/,
    );
    expect(listening).toHaveLength(1);
    expect(listening[0]).toMatchObject({ level: INFO });
    expect(listening[0].msg).toMatch(
      /^Listening on http:\/\/127\.0\.0\.1:\d+; API docs at http:\/\/127\.0\.0\.1:\d+\/docs$/,
    );
    // Start-up to the listen line, then the shutdown line: a screen, not pages.
    expect(records.length).toBeLessThanOrEqual(6);
  });

  it("at debug: Nest's per-route lines are back, at debug level", async () => {
    const records = await startAndStop('debug', 'debug');
    const routeLines = records.filter((record) => record.context === 'RouterExplorer');

    expect(routeLines.length).toBeGreaterThan(10);
    expect(routeLines.every((record) => record.level === DEBUG)).toBe(true);
    expect(routeLines.map((record) => record.msg)).toContain(
      'Mapped {/api/v1/users/me, GET} route',
    );
  });
});
