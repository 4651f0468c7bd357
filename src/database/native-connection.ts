import type { Database } from 'better-sqlite3';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/** The database client TypeORM opened for a data source, for code that must bypass its runner. */
export type NativeConnection =
  { kind: 'postgres'; pool: Pool } | { kind: 'better-sqlite3'; database: Database };

/**
 * The one place that reads TypeORM's undocumented driver fields (checked on TypeORM 1.1.1):
 * PostgresDriver keeps its pg.Pool as `master`, the better-sqlite3 driver its open Database as
 * `databaseConnection`. Read it on every use: the Database is replaced when the data source is
 * initialised again. Throws for any other driver, which this project does not configure.
 */
export function nativeConnectionOf(dataSource: DataSource): NativeConnection {
  const driver = dataSource.driver as unknown as { master?: Pool; databaseConnection?: Database };
  const type = dataSource.options.type;
  if (type === 'postgres' && driver.master !== undefined) {
    return { kind: 'postgres', pool: driver.master };
  }
  if (type === 'better-sqlite3' && driver.databaseConnection !== undefined) {
    return { kind: 'better-sqlite3', database: driver.databaseConnection };
  }
  throw new Error(`No native connection for a ${type} data source (is it initialised?)`);
}
