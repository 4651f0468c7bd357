import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..');
const BUILD_TIMEOUT_MS = 180_000;

/**
 * Builds dist/ once per test run (`nest build`, exactly what `npm run build` and the container
 * do). Several test files may ask at once from parallel workers: the first to create the lock
 * directory builds, the others wait for its marker. The run is identified by the per-run
 * database the global setup created.
 */
export async function ensureBuilt(): Promise<void> {
  const runKey = process.env.TEST_SQLITE_DIRECTORY ?? process.env.DATABASE_URL ?? 'local';
  const tag = createHash('sha256').update(`${ROOT}\n${runKey}`).digest('hex').slice(0, 16);
  const lock = join(tmpdir(), `nest-auth-build-${tag}.lock`);
  const marker = join(ROOT, 'dist', `.built-${tag}`);
  try {
    mkdirSync(lock);
  } catch {
    const deadline = Date.now() + BUILD_TIMEOUT_MS;
    while (!existsSync(marker)) {
      if (Date.now() > deadline) {
        throw new Error('timed out waiting for another test file to build dist/');
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return;
  }
  await promisify(execFile)('npx', ['nest', 'build'], { cwd: ROOT, timeout: BUILD_TIMEOUT_MS });
  writeFileSync(marker, '');
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error()),
      );
    });
  });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface BuiltApp {
  child: ChildProcess;
  port: number;
  baseUrl: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output: () => string;
  exited: Promise<Exit>;
  /** SIGTERM (if still running) and wait for the exit. */
  stop: () => Promise<Exit>;
}

/**
 * Starts `node dist/main.js` with only the given environment (plus PATH), on a free port.
 * `cwd` is where it runs (the repository by default), so where it reads `.env` and keeps `./data/`.
 */
export async function startBuiltApp(
  env: Record<string, string>,
  options: { cwd?: string } = {},
): Promise<BuiltApp> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'main.js')], {
    cwd: options.cwd ?? ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => output,
    exited,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
      }
      return exited;
    },
  };
}

/** Resolves once `path` answers 200, rejects if the process exits or the time runs out. */
export async function waitForStatus(
  app: BuiltApp,
  path: string,
  status = 200,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: Exit | undefined;
  void app.exited.then((exit) => (exited = exit));
  while (Date.now() < deadline) {
    if (exited) {
      throw new Error(`the app exited (${JSON.stringify(exited)}):\n${app.output()}`);
    }
    try {
      const response = await fetch(`${app.baseUrl}${path}`);
      if (response.status === status) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${path} did not answer ${status} in time:\n${app.output()}`);
}
