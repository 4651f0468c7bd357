import { createTestApp, type TestApp } from './support/create-test-app';

// `npm run migration:generate` diffs the entities against the migrated database. Should the two
// disagree, the migration it writes for a team's new entity would also "fix" ours: drop foreign
// keys, rebuild tables, lose the case-insensitive unique indexes. So they must agree exactly.
describe('entities and migrations', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('describe the same schema: migration:generate has nothing to write', async () => {
    const pending = await testApp.dataSource.driver.createSchemaBuilder().log();

    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });
});
