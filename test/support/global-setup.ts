import { join } from 'node:path';
import {
  createPostgresDatabase,
  createSqliteDirectory,
  DEFAULT_TEST_POSTGRES_URL,
  usingPostgres,
} from './test-database';

/** Migrates the run's database once; the test workers inherit the environment set here. */
export default async function globalSetup(): Promise<void> {
  if (usingPostgres()) {
    const baseUrl = process.env.DATABASE_URL?.startsWith('postgres')
      ? process.env.DATABASE_URL
      : DEFAULT_TEST_POSTGRES_URL;
    process.env.TEST_PG_BASE_URL = baseUrl;
    process.env.DATABASE_URL = await createPostgresDatabase(baseUrl);
  } else {
    const directory = createSqliteDirectory();
    process.env.TEST_SQLITE_DIRECTORY = directory;
    process.env.TEST_SQLITE_TEMPLATE = join(directory, 'template.sqlite');
    process.env.DATABASE_URL = `sqlite:${process.env.TEST_SQLITE_TEMPLATE}`;
  }
  // Imported only now: entity column types follow DATABASE_URL when their files load.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { migrateDatabase } = require('./migrate-database') as typeof import('./migrate-database');
  await migrateDatabase(process.env.DATABASE_URL);
}
