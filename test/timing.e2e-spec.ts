import { performance } from 'node:perf_hooks';
import { AuthService } from '../src/auth/auth.service';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser, uniqueName } from './support/factories/user.factory';

const TRIES = 30;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

describe(`${AuthService.name} timing`, () => {
  let testApp: TestApp;

  beforeAll(async () => {
    // A real cost, so bcrypt dominates the noise of HTTP and the database, as in production.
    testApp = await createTestApp({ BCRYPT_COST: '10', LOGIN_MAX_ATTEMPTS: '1000' });
  });

  afterAll(async () => {
    await testApp.close();
  });

  /** Registered through the API, so the stored hash has the app's cost, as a real one would. */
  async function registered(): Promise<string> {
    const username = uniqueName();
    await testApp
      .http()
      .post('/api/v1/auth/register')
      .send({ email: `${username}@example.com`, username, password: 'lantern orbit pickle' })
      .expect(201);
    return username;
  }

  async function timeLogin(login: string): Promise<number> {
    const started = performance.now();
    const response = await testApp
      .http()
      .post('/api/v1/auth/login')
      .type('form')
      .send({ username: login, password: 'wrong guess 123' });
    const elapsed = performance.now() - started;
    expect(response.status).toBe(401);
    expect(response.body.message).toBe('Incorrect username or password');
    return elapsed;
  }

  it('takes as long for an unknown user as for a wrong password (medians within 25 %)', async () => {
    const username = await registered();
    const unknown: number[] = [];
    const wrongPassword: number[] = [];

    // Interleaved, so drift in machine load falls on both series alike.
    for (let attempt = 0; attempt < TRIES; attempt += 1) {
      unknown.push(await timeLogin(`${uniqueName('nobody')}@example.com`));
      wrongPassword.push(await timeLogin(username));
    }

    const ratio = median(unknown) / median(wrongPassword);
    expect(ratio).toBeGreaterThan(0.75);
    expect(ratio).toBeLessThan(1.25);
  }, 60_000);

  it('takes as long for an account hashed at an older cost as for a current one (medians within 25 %)', async () => {
    const current = await registered();
    // The factory hashes at cost 4, as an account created before BCRYPT_COST was raised to 10.
    const older = await createUser(testApp.dataSource);
    const atCurrentCost: number[] = [];
    const atOlderCost: number[] = [];

    for (let attempt = 0; attempt < TRIES; attempt += 1) {
      atOlderCost.push(await timeLogin(older.user.username));
      atCurrentCost.push(await timeLogin(current));
    }

    const ratio = median(atOlderCost) / median(atCurrentCost);
    expect(ratio).toBeGreaterThan(0.75);
    expect(ratio).toBeLessThan(1.25);
  }, 60_000);
});
