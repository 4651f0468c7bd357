import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateFile } from '../src/database/private-file';
import { createTestApp } from './support/create-test-app';
import { createUser } from './support/factories/user.factory';
import { createSqliteDirectory, removeDirectory } from './support/test-database';

// SQLite only: jest.config.js leaves this file out of PostgreSQL runs, whose entities are typed
// for PostgreSQL (src/database/column-types.ts).
const modeOf = (path: string): number => statSync(path).mode & 0o777;

describe(ensurePrivateFile.name, () => {
  it('gives a new SQLite database a 0700 folder and 0600 files (database, WAL, lock)', async () => {
    const root = createSqliteDirectory();
    const folder = join(root, 'data');
    const file = join(folder, 'app.sqlite');
    try {
      const testApp = await createTestApp({ DATABASE_URL: `sqlite:${file}` });
      try {
        // A write, so that the write-ahead log certainly exists.
        await createUser(testApp.dataSource);

        expect(modeOf(folder)).toBe(0o700);
        for (const path of [file, `${file}-wal`, `${file}-shm`, `${file}.startup-lock`]) {
          expect([path, modeOf(path)]).toEqual([path, 0o600]);
        }
      } finally {
        await testApp.close();
      }
    } finally {
      removeDirectory(root);
    }
  });
});
