import {
  dropPostgresDatabase,
  copySqliteTemplate,
  createPostgresDatabase,
  usingPostgres,
} from './test-database';
import { migrateDatabase } from './migrate-database';

export interface IsolatedDatabase {
  url: string;
  drop: () => Promise<void>;
}

/**
 * A migrated database of a test's own, for tests that depend on the whole table (the last active
 * admin, the bootstrap admin) and so cannot share the run's PostgreSQL database with other files.
 * On SQLite every app already has its own copy; this gives one URL that several apps can share.
 */
export async function createIsolatedDatabase(): Promise<IsolatedDatabase> {
  if (!usingPostgres()) {
    return { url: `sqlite:${copySqliteTemplate()}`, drop: () => Promise.resolve() };
  }
  const baseUrl = process.env.TEST_PG_BASE_URL ?? process.env.DATABASE_URL;
  if (!baseUrl) {
    throw new Error('TEST_PG_BASE_URL is not set by the global setup');
  }
  const url = await createPostgresDatabase(baseUrl);
  await migrateDatabase(url);
  return { url, drop: () => dropPostgresDatabase(url) };
}
