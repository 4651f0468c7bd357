import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../../src/config/database-url';
import { buildDataSourceOptions } from '../../src/database/data-source-options';

export async function migrateDatabase(url: string): Promise<void> {
  const target = parseDatabaseUrl(url);
  if (!target) {
    throw new Error(`Not a database URL: ${url}`);
  }
  const dataSource = new DataSource(buildDataSourceOptions(target));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}
