import { request as httpRequest, type IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShutdownState } from '../src/health/shutdown-state.service';
import { ensureBuilt, startBuiltApp, waitForStatus, type BuiltApp } from './support/built-app';
import { TEST_ENCRYPTION_KEY, TEST_JWT_SECRET } from './support/create-test-app';

interface HeldRequest {
  /** Sends the rest of the body; the request completes after this. */
  finish: () => void;
  response: Promise<{ status: number; body: string }>;
  closed: Promise<void>;
}

/**
 * A request the server is in the middle of: headers and half the body sent, the rest held back.
 * This is how the test keeps a request in flight without any slow route in the app.
 */
function holdRequest(app: BuiltApp, path: string, body: string): HeldRequest {
  const request = httpRequest({
    host: '127.0.0.1',
    port: app.port,
    path,
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.on('error', reject);
    request.on('response', (incoming: IncomingMessage) => {
      let text = '';
      incoming.on('data', (chunk: Buffer) => (text += chunk.toString()));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body: text }));
      incoming.on('error', reject);
    });
  });
  const closed = new Promise<void>((resolve) => request.on('close', () => resolve()));
  const half = Math.floor(body.length / 2);
  request.write(body.slice(0, half));
  return { finish: () => request.end(body.slice(half)), response, closed };
}

async function connectionRefused(app: BuiltApp): Promise<boolean> {
  try {
    await fetch(`${app.baseUrl}/api/v1/health/live`);
    return false;
  } catch (error) {
    return (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe(`Graceful shutdown (${ShutdownState.name})`, () => {
  let directory: string;
  let app: BuiltApp | undefined;

  beforeAll(async () => {
    await ensureBuilt();
    directory = mkdtempSync(join(tmpdir(), 'nest-auth-shutdown-'));
  }, 200_000);

  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  const start = async (name: string): Promise<BuiltApp> => {
    app = await startBuiltApp({
      NODE_ENV: 'production',
      DATABASE_URL: `sqlite:${join(directory, `${name}.sqlite`)}`,
      JWT_SECRET: TEST_JWT_SECRET,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      BCRYPT_COST: '10',
      LOG_LEVEL: 'info',
    });
    await waitForStatus(app, '/api/v1/health');
    return app;
  };

  it('on SIGTERM stops accepting, finishes the request in flight with 200, then exits 0', async () => {
    const running = await start('in-flight');
    const credentials = { username: 'shutdown_user', password: 'Correct-Horse-Battery-42' };
    const registered = await fetch(`${running.baseUrl}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...credentials, email: 'shutdown_user@example.com' }),
    });
    expect(registered.status).toBe(201);

    const held = holdRequest(running, '/api/v1/auth/login', JSON.stringify(credentials));
    await sleep(300);
    running.child.kill('SIGTERM');
    let refused = false;
    for (let attempt = 0; attempt < 40 && !refused; attempt++) {
      await sleep(50);
      refused = await connectionRefused(running);
    }
    held.finish();
    const response = await held.response;
    const answeredAt = Date.now();
    const exit = await running.exited;

    expect(refused).toBe(true);
    expect(response.status).toBe(200);
    // The login needed the database: it was still open while the request finished.
    expect(JSON.parse(response.body)).toMatchObject({ token_type: 'bearer' });
    expect(exit).toEqual({ code: 0, signal: null });
    // The finished request's keep-alive connection does not hold the exit.
    expect(Date.now() - answeredAt).toBeLessThan(2_000);
    expect(running.output()).toContain('Shutting down on SIGTERM');
  }, 60_000);

  it('cuts a request still unfinished after the 10 s drain and still exits 0', async () => {
    const running = await start('stuck');
    const held = holdRequest(running, '/api/v1/auth/login', JSON.stringify({ username: 'x' }));
    // Its connection is cut, so it never gets a response.
    held.response.catch(() => undefined);
    await sleep(300);
    const signalledAt = Date.now();
    running.child.kill('SIGTERM');

    const exit = await running.exited;
    const elapsed = Date.now() - signalledAt;
    await held.closed;

    expect(exit).toEqual({ code: 0, signal: null });
    expect(elapsed).toBeGreaterThanOrEqual(9_500);
    expect(elapsed).toBeLessThan(15_000);
    expect(running.output()).toContain('still in flight after 10000 ms');
  }, 60_000);
});
