import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { bearer, login } from './support/auth-helpers';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser, type TestUser } from './support/factories/user.factory';

const EXAMPLE = join(__dirname, '..', 'examples', 'resource-server', 'server.mjs');
const INTROSPECTION_TOKEN = 'introspection-token-of-the-example-service';

/** Starts the example as its README says, and resolves with its base URL once it listens. */
function startExample(authServer: string): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [EXAMPLE], {
    env: { PATH: process.env.PATH ?? '', AUTH_SERVER: authServer, INTROSPECTION_TOKEN, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`the example did not start in 15 s:\n${output}`));
    }, 15_000);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /\{"listening":(\d+)\}/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, base: `http://127.0.0.1:${match[1]}` });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the example exited with ${code}:\n${output}`));
    });
  });
}

describe('examples/resource-server (docs/verifying-tokens.md)', () => {
  let testApp: TestApp;
  let example: { child: ChildProcess; base: string };
  let testUser: TestUser;

  beforeAll(async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    testApp = await createTestApp({
      JWT_ALGORITHM: 'ES256',
      JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      INTROSPECTION_TOKEN,
    });
    await testApp.app.listen({ port: 0, host: '127.0.0.1' });
    const address = testApp.app.getHttpServer().address();
    if (address === null || typeof address === 'string') {
      throw new Error('not listening on a port');
    }
    example = await startExample(`http://127.0.0.1:${address.port}`);
    testUser = await createUser(testApp.dataSource);
  });

  afterAll(async () => {
    if (example?.child.exitCode === null) {
      const exited = new Promise((resolve) => example.child.once('exit', resolve));
      example.child.kill('SIGTERM');
      await exited;
    }
    await testApp.close();
  });

  const call = (method: 'GET' | 'POST', path: string, token?: string) =>
    fetch(`${example.base}${path}`, {
      method,
      headers: token === undefined ? {} : bearer(token),
    });

  it('accepts a token verified locally against the JWKS, and one confirmed by introspection', async () => {
    const { access_token } = await login(testApp, testUser);

    const profile = await call('GET', '/profile', access_token);
    const transfer = await call('POST', '/transfers', access_token);

    expect(profile.status).toBe(200);
    expect(await profile.json()).toEqual({
      sub: testUser.user.id,
      username: testUser.user.username,
      checkedBy: 'jwks',
    });
    expect(transfer.status).toBe(200);
    expect(await transfer.json()).toMatchObject({
      sub: testUser.user.id,
      checkedBy: 'introspection',
    });
  });

  it('refuses a logged-out token on the introspected route at once; the local check cannot know', async () => {
    const { access_token } = await login(testApp, testUser);
    await testApp.http().post('/api/v1/auth/logout').set(bearer(access_token)).expect(204);

    const profile = await call('GET', '/profile', access_token);
    const transfer = await call('POST', '/transfers', access_token);

    expect(profile.status).toBe(200);
    expect(transfer.status).toBe(401);
    expect(transfer.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });

  it.each([
    ['no token', undefined],
    ['a token it did not issue', 'eyJhbGciOiJFUzI1NiJ9.e30.c2lnbmF0dXJl'],
  ])('refuses %s on both routes', async (_case, token) => {
    const profile = await call('GET', '/profile', token);
    const transfer = await call('POST', '/transfers', token);

    expect(profile.status).toBe(401);
    expect(transfer.status).toBe(401);
  });
});
