import { dropPostgresDatabase, removeDirectory, usingPostgres } from './test-database';

export default async function globalTeardown(): Promise<void> {
  if (usingPostgres()) {
    if (process.env.DATABASE_URL) {
      await dropPostgresDatabase(process.env.DATABASE_URL);
    }
  } else if (process.env.TEST_SQLITE_DIRECTORY) {
    removeDirectory(process.env.TEST_SQLITE_DIRECTORY);
  }
}
