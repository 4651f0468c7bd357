import { CombineUserSearchIndex1763990000000 } from '../src/database/migrations/1763990000000-combine-user-search-index';
import { userSearchCondition } from '../src/users/user-search';
import { createTestApp, type TestApp } from './support/create-test-app';
import { usingPostgres } from './support/test-database';

const TRIGRAM_INDEXES = ['IDX_users_search_trgm'];

// The admin list's `search` condition, as UsersService writes it, in raw SQL.
const searchWhere = (onPostgres: boolean): string =>
  userSearchCondition((name) => `"${name}"`, '$1', onPostgres);

describe(CombineUserSearchIndex1763990000000.name, () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('is applied on both databases, after the migration whose indexes it replaces', async () => {
    const applied = await testApp.dataSource.query<{ name: string }[]>(
      `SELECT "name" FROM "migrations" WHERE "name" LIKE '%UserSearchIndex%' ORDER BY "id"`,
    );

    expect(applied.map((row) => row.name)).toEqual([
      'AddUserSearchIndex1763896000000',
      'CombineUserSearchIndex1763990000000',
    ]);
  });

  it('leaves one trigram index, on PostgreSQL only', async () => {
    const indexes = usingPostgres()
      ? await testApp.dataSource.query<{ name: string }[]>(
          `SELECT indexname AS name FROM pg_indexes WHERE tablename = 'users' AND indexname LIKE '%trgm' ORDER BY 1`,
        )
      : await testApp.dataSource.query<{ name: string }[]>(
          `SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%trgm' ORDER BY 1`,
        );

    expect(indexes.map((index) => index.name)).toEqual(usingPostgres() ? TRIGRAM_INDEXES : []);
  });

  it('serves the search condition from the index on PostgreSQL and scans on SQLite', async () => {
    if (!usingPostgres()) {
      // SQLite has no trigram index: the same WHERE clause runs as a scan and still matches.
      const where = searchWhere(false).replaceAll('$1', '?');
      const rows = await testApp.dataSource.query<unknown[]>(
        `SELECT id FROM users WHERE ${where}`,
        where
          .split('?')
          .slice(1)
          .map(() => '%no-such-user%'),
      );
      expect(rows).toEqual([]);
      return;
    }
    const queryRunner = testApp.dataSource.createQueryRunner();
    try {
      await queryRunner.startTransaction();
      // With a handful of test rows a scan is cheaper; forbid it to see which index serves.
      await queryRunner.query('SET LOCAL enable_seqscan = off');
      const plan = (await queryRunner.query(
        `EXPLAIN SELECT id FROM users WHERE ${searchWhere(true)}`,
        ['%ada%'],
      )) as { 'QUERY PLAN': string }[];
      const text = plan.map((row) => row['QUERY PLAN']).join('\n');
      for (const name of TRIGRAM_INDEXES) {
        expect(text).toContain(name);
      }
    } finally {
      await queryRunner.rollbackTransaction();
      await queryRunner.release();
    }
  });
});
