import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * One database per test run: a fresh PostgreSQL database (TEST_PG=1, `npm run test:pg`) or a
 * migrated SQLite template that every app copies. Dropped or deleted when the run ends.
 */
export const DEFAULT_TEST_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

export function usingPostgres(): boolean {
  return process.env.TEST_PG === '1';
}

export async function createPostgresDatabase(baseUrl: string): Promise<string> {
  const name = `nest_auth_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await withAdminClient(baseUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropPostgresDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await withAdminClient(url, (client) =>
    client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  );
}

async function withAdminClient(
  url: string,
  work: (client: Client) => Promise<unknown>,
): Promise<void> {
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const client = new Client({ connectionString: adminUrl.toString() });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

export function createSqliteDirectory(): string {
  return mkdtempSync(join(tmpdir(), 'nest-auth-test-'));
}

/** A private copy of the migrated template, so test files never share a SQLite writer. */
export function copySqliteTemplate(): string {
  const template = process.env.TEST_SQLITE_TEMPLATE;
  if (!template) {
    throw new Error('TEST_SQLITE_TEMPLATE is not set: run e2e tests through jest (global setup)');
  }
  const copy = join(
    process.env.TEST_SQLITE_DIRECTORY ?? tmpdir(),
    `${randomBytes(6).toString('hex')}.sqlite`,
  );
  copyFileSync(template, copy);
  return copy;
}

export function removeDirectory(path: string): void {
  rmSync(path, { recursive: true, force: true });
}
