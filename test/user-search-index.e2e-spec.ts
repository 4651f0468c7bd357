import { AddUserSearchIndex1763896000000 } from '../src/database/migrations/1763896000000-add-user-search-index';
import { createTestApp, type TestApp } from './support/create-test-app';
import { usingPostgres } from './support/test-database';

const TRIGRAM_INDEXES = [
  'IDX_users_email_trgm',
  'IDX_users_full_name_trgm',
  'IDX_users_username_trgm',
];

// The WHERE clause the admin list's `search` must use for these indexes to serve it.
const SEARCH_WHERE =
  `lower("email") LIKE $1 OR lower("username") LIKE $1 ` +
  `OR lower(coalesce("fullName", '')) LIKE $1`;

describe(AddUserSearchIndex1763896000000.name, () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('is applied on both databases', async () => {
    const applied = await testApp.dataSource.query<{ name: string }[]>(
      'SELECT "name" FROM "migrations" WHERE "name" = \'AddUserSearchIndex1763896000000\'',
    );

    expect(applied).toHaveLength(1);
  });

  it('creates the trigram indexes on PostgreSQL only', async () => {
    const indexes = usingPostgres()
      ? await testApp.dataSource.query<{ name: string }[]>(
          `SELECT indexname AS name FROM pg_indexes WHERE tablename = 'users' AND indexname LIKE '%trgm' ORDER BY 1`,
        )
      : await testApp.dataSource.query<{ name: string }[]>(
          `SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%trgm' ORDER BY 1`,
        );

    expect(indexes.map((index) => index.name)).toEqual(usingPostgres() ? TRIGRAM_INDEXES : []);
  });

  it('serves the search expression from the indexes on PostgreSQL and scans on SQLite', async () => {
    if (!usingPostgres()) {
      // SQLite has no trigram index: the same WHERE clause runs as a scan and still matches.
      const rows = await testApp.dataSource.query<unknown[]>(
        `SELECT id FROM users WHERE ${SEARCH_WHERE.replaceAll('$1', '?')}`,
        ['%no-such-user%', '%no-such-user%', '%no-such-user%'],
      );
      expect(rows).toEqual([]);
      return;
    }
    const queryRunner = testApp.dataSource.createQueryRunner();
    try {
      await queryRunner.startTransaction();
      // With a handful of test rows a scan is cheaper; forbid it to see which index serves.
      await queryRunner.query('SET LOCAL enable_seqscan = off');
      const plan = (await queryRunner.query(`EXPLAIN SELECT id FROM users WHERE ${SEARCH_WHERE}`, [
        '%ada%',
      ])) as { 'QUERY PLAN': string }[];
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
