import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { AccountTokensService } from '../src/account-tokens/account-tokens.service';
import { bearer, login } from './support/auth-helpers';
import { createUser, uniqueName } from './support/factories/user.factory';
import { createMailTestApp, tokenOf, type MailTestApp } from './support/mailbox';
import { OutOfProcessClient } from './support/out-of-process-client';

const TIMING_SAMPLES = 40;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Every "table.column" of the database with a value that contains `needle`. */
async function findEverywhere(dataSource: DataSource, needle: string): Promise<string[]> {
  const onPostgres = dataSource.options.type === 'postgres';
  const columns = onPostgres
    ? await dataSource.query<{ table: string; column: string }[]>(
        `SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
         WHERE table_schema = current_schema()`,
      )
    : await sqliteColumns(dataSource);
  expect(columns.length).toBeGreaterThan(10);
  const hits: string[] = [];
  for (const { table, column } of columns) {
    const sql = onPostgres
      ? `SELECT COUNT(*) AS "count" FROM "${table}" WHERE strpos("${column}"::text, $1) > 0`
      : `SELECT COUNT(*) AS "count" FROM "${table}" WHERE instr(CAST("${column}" AS TEXT), ?) > 0`;
    const rows = await dataSource.query<{ count: string | number }[]>(sql, [needle]);
    if (Number(rows[0].count) > 0) {
      hits.push(`${table}.${column}`);
    }
  }
  return hits;
}

async function sqliteColumns(dataSource: DataSource): Promise<{ table: string; column: string }[]> {
  const tables = await dataSource.query<{ name: string }[]>(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`,
  );
  const columns: { table: string; column: string }[] = [];
  for (const { name } of tables) {
    const info = await dataSource.query<{ name: string }[]>(`PRAGMA table_info("${name}")`);
    columns.push(...info.map((column) => ({ table: name, column: column.name })));
  }
  return columns;
}

describe(AccountTokensService.name, () => {
  let testApp: MailTestApp;

  beforeAll(async () => {
    // Room for the timing samples, all from one client address.
    testApp = await createMailTestApp({ AUTH_RATE_LIMIT: '1000' });
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('keeps no raw token anywhere in the database, used or not, only its SHA-256', async () => {
    const testUser = await createUser(testApp.dataSource);
    const forgot = () =>
      testApp.http().post('/api/v1/auth/password/forgot').send({ email: testUser.user.email });
    await forgot().expect(202);
    const resetMail = { to: testUser.user.email, kind: 'password-reset' };
    const usedReset = tokenOf(await testApp.mailbox.next(resetMail));
    await testApp
      .http()
      .post('/api/v1/auth/password/reset')
      .send({ token: usedReset, newPassword: 'lantern orbit pickle granite' })
      .expect(204);
    await forgot().expect(202);
    const liveReset = tokenOf(await testApp.mailbox.next(resetMail));
    const registered = uniqueName('scan');
    await testApp
      .http()
      .post('/api/v1/auth/register')
      .send({
        email: `${registered}@example.com`,
        username: registered,
        password: 'lantern orbit pickle granite',
      })
      .expect(201);
    const verify = tokenOf(await testApp.mailbox.next({ to: `${registered}@example.com` }));
    const newEmail = `${uniqueName('moved')}@example.org`;
    const other = await createUser(testApp.dataSource);
    await testApp
      .http()
      .post('/api/v1/users/me/email')
      .set(bearer((await login(testApp, other)).access_token))
      .send({ newEmail, currentPassword: other.password })
      .expect(202);
    const change = tokenOf(await testApp.mailbox.next({ to: newEmail }));
    // Delivered mails have their bodies erased; until then the outbox holds the links.
    await testApp.settle();

    for (const token of [usedReset, liveReset, verify, change]) {
      expect(await findEverywhere(testApp.dataSource, token)).toEqual([]);
      const hash = createHash('sha256').update(token).digest('hex');
      expect(await findEverywhere(testApp.dataSource, hash)).toEqual(['account_tokens.tokenHash']);
    }
  }, 30_000);

  it('answers forgot in about the same time for a known and an unknown address', async () => {
    const known = await createUser(testApp.dataSource);
    await testApp.app.listen(0, '127.0.0.1');
    const client = OutOfProcessClient.start(
      (testApp.app.getHttpServer().address() as AddressInfo).port,
    );
    const timeForgot = async (email: string): Promise<number> => {
      const response = await client.postJson('/api/v1/auth/password/forgot', { email });
      expect(response.status).toBe(202);
      // The work behind a known address finishes before the next sample starts, so it never
      // lands in the other series' time.
      await testApp.settle();
      return response.elapsedMs;
    };
    const knownTimes: number[] = [];
    const unknownTimes: number[] = [];
    // Interleaved, so drift in machine load falls on both series alike.
    try {
      for (let sample = 0; sample < TIMING_SAMPLES; sample += 1) {
        knownTimes.push(await timeForgot(known.user.email));
        unknownTimes.push(await timeForgot(`${uniqueName('nobody')}@example.com`));
      }
    } finally {
      await client.close();
    }

    const ratio = median(knownTimes) / median(unknownTimes);
    // Wide bounds: the medians are a few ms on a shared machine. Work done before the answer
    // (a token, a mail, SMTP) would be several times the unknown address's whole answer.
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
    expect(testApp.mailbox.all({ to: known.user.email })).toHaveLength(TIMING_SAMPLES);
  }, 60_000);
});
