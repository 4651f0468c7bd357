import type { Database, Statement } from 'better-sqlite3';
import type { Pool } from 'pg';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import type { DataSource, EntityMetadata } from 'typeorm';
import { User } from '../users/user.entity';

/** The user of a live session, active, or null: the whole per-request check. */
export type ActiveUserLoader = (sessionId: string, userId: string) => Promise<User | null>;

/** The values of one users row, in the order of the entity's columns. */
type UserValues = unknown[];

type RunQuery = (parameters: string[]) => Promise<UserValues | undefined>;

// Column types whose database value is already the entity's value on both databases.
const TEXT_TYPES = new Set<unknown>(['varchar', 'text', 'uuid', String]);

/**
 * The per-request check as one indexed statement, run on the connection TypeORM opened, without
 * its query runner. That runner (a QueryResult, before and after events to subscribers, a
 * statement cache lookup, five awaits) cost more CPU than SQLite spent answering, and on
 * PostgreSQL it sends the text to be parsed and planned each time, where a named prepared
 * statement is planned once per connection (bench/README.md, step 6). The statement is still
 * passed to TypeORM's logger, so `logging` shows it like any other query.
 *
 * Rows come back as arrays, and TypeORM's driver converts each value as the repository would
 * (booleans, simple-array roles, timestamps); text columns, which need no conversion, skip it.
 */
export function createActiveUserLoader(
  dataSource: DataSource,
  users: EntityMetadata,
): ActiveUserLoader {
  const columns = users.columns.map((column) => `u."${column.databaseName}"`).join(', ');
  const run =
    dataSource.options.type === 'postgres'
      ? postgresQuery(dataSource, columns)
      : sqliteQuery(dataSource, columns);
  const hydrators = users.columns.map((column) => hydratorFor(dataSource, column));
  return async (sessionId, userId) => {
    const values = await run([sessionId, userId]);
    if (values === undefined) {
      return null;
    }
    const user = new User();
    for (let index = 0; index < hydrators.length; index++) {
      hydrators[index](user, values[index]);
    }
    return user;
  };
}

function hydratorFor(
  dataSource: DataSource,
  column: ColumnMetadata,
): (user: User, value: unknown) => void {
  if (column.transformer === undefined && TEXT_TYPES.has(column.type)) {
    return (user, value) => column.setEntityValue(user, value);
  }
  const driver = dataSource.driver;
  return (user, value) => column.setEntityValue(user, driver.prepareHydratedValue(value, column));
}

function postgresQuery(dataSource: DataSource, columns: string): RunQuery {
  const sql = `SELECT ${columns} FROM "sessions" s INNER JOIN "users" u ON u."id" = s."userId"
     WHERE s."id" = $1 AND s."userId" = $2 AND u."isActive" = true
       AND s."revokedAt" IS NULL AND s."expiresAt" > now()`;
  return async (parameters) => {
    dataSource.logger.logQuery(sql, parameters);
    // TypeORM's PostgresDriver keeps its pg.Pool as `master` (there is no typed accessor).
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    const result = await pool.query<UserValues>({
      name: 'active-user',
      text: sql,
      values: parameters,
      rowMode: 'array',
    });
    return result.rows[0];
  };
}

function sqliteQuery(dataSource: DataSource, columns: string): RunQuery {
  // Each database compares expiry with its own clock. SQLite's strftime gives the UTC text form
  // TypeORM writes datetime columns in ('YYYY-MM-DD HH:MM:SS.SSS'), which sorts as time does.
  const sql = `SELECT ${columns} FROM "sessions" s INNER JOIN "users" u ON u."id" = s."userId"
     WHERE s."id" = ? AND s."userId" = ? AND u."isActive" = 1
       AND s."revokedAt" IS NULL AND s."expiresAt" > strftime('%Y-%m-%d %H:%M:%f', 'now')`;
  let preparedFor: Database | undefined;
  let statement: Statement<string[], UserValues> | undefined;
  return (parameters) => {
    dataSource.logger.logQuery(sql, parameters);
    // TypeORM's better-sqlite3 driver keeps the open Database as `databaseConnection`; it is
    // replaced when the data source is initialised again, and the statement with it.
    const database = (dataSource.driver as unknown as { databaseConnection: Database })
      .databaseConnection;
    if (statement === undefined || preparedFor !== database) {
      statement = database.prepare<string[], UserValues>(sql).raw(true);
      preparedFor = database;
    }
    const prepared = statement;
    // The executor turns an error thrown by the driver into a rejection, as the pg path gives.
    return new Promise((resolve) => resolve(prepared.get(...parameters)));
  };
}
