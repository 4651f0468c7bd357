import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Statement } from 'better-sqlite3';
import { DataSource } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import { nativeConnectionOf } from '../database/native-connection';
import { User } from '../users/user.entity';

/** The values of one users row, in the order of the entity's columns. */
type UserValues = unknown[];

/** Runs the lookup's statement with `[userId, sessionId]`. */
type RunStatement = (parameters: [string, string]) => Promise<UserValues | undefined>;

type Hydrator = (user: User, value: unknown) => void;

// Column types whose database value is already the entity's value on both databases.
const TEXT_TYPES = new Set<unknown>(['varchar', 'text', 'uuid', String]);

/**
 * The per-request check behind the JWT guard: the user of a live session, active, or null, in
 * one indexed statement. Revocation, disabling and deletion therefore refuse a token from the
 * very next request.
 *
 * Hand-written on purpose, and run on the connection TypeORM opened rather than through its
 * query runner: the query builder spent more time building and mapping the query than the
 * database spent answering it, and the runner (a QueryResult, subscriber broadcasts, a
 * statement-cache lookup, five awaits) still cost more than SQLite did; on PostgreSQL a named
 * prepared statement is planned once per connection instead of on every call (bench/README.md,
 * steps 1 and 6). The statement still goes to TypeORM's logger, so `logging` shows it and a test
 * counts exactly one statement per `GET /users/me`.
 *
 * Rows come back as arrays, and TypeORM's driver converts each value as the repository would
 * (booleans, simple-array roles, timestamps); text columns, which need no conversion, skip it.
 */
@Injectable()
export class ActiveUserLookup implements OnModuleInit {
  private run?: RunStatement;
  private hydrators: Hydrator[] = [];

  constructor(private readonly dataSource: DataSource) {}

  /** Builds the statement text and the column converters once the entity metadata exists. */
  onModuleInit(): void {
    const users = this.dataSource.getMetadata(User);
    const columns = users.columns.map((column) => `u."${column.databaseName}"`).join(', ');
    this.run =
      this.dataSource.options.type === 'postgres'
        ? postgresStatement(this.dataSource, columns)
        : sqliteStatement(this.dataSource, columns);
    this.hydrators = users.columns.map((column) => hydratorFor(this.dataSource, column));
  }

  async load(userId: string, sessionId: string): Promise<User | null> {
    if (this.run === undefined) {
      throw new Error('ActiveUserLookup used before its module was initialised');
    }
    const values = await this.run([userId, sessionId]);
    if (values === undefined) {
      return null;
    }
    const user = new User();
    for (let index = 0; index < this.hydrators.length; index++) {
      this.hydrators[index](user, values[index]);
    }
    return user;
  }
}

function hydratorFor(dataSource: DataSource, column: ColumnMetadata): Hydrator {
  if (column.transformer === undefined && TEXT_TYPES.has(column.type)) {
    return (user, value) => column.setEntityValue(user, value);
  }
  const driver = dataSource.driver;
  return (user, value) => column.setEntityValue(user, driver.prepareHydratedValue(value, column));
}

function postgresStatement(dataSource: DataSource, columns: string): RunStatement {
  const sql = `SELECT ${columns} FROM "sessions" s INNER JOIN "users" u ON u."id" = s."userId"
     WHERE s."userId" = $1 AND s."id" = $2 AND u."isActive" = true
       AND s."revokedAt" IS NULL AND s."expiresAt" > now()`;
  return async (parameters) => {
    dataSource.logger.logQuery(sql, parameters);
    const connection = nativeConnectionOf(dataSource);
    if (connection.kind !== 'postgres') {
      throw new Error(`ActiveUserLookup expected PostgreSQL, found ${connection.kind}`);
    }
    const result = await connection.pool.query<UserValues>({
      name: 'active-user',
      text: sql,
      values: parameters,
      rowMode: 'array',
    });
    return result.rows[0];
  };
}

function sqliteStatement(dataSource: DataSource, columns: string): RunStatement {
  // Each database compares expiry with its own clock. SQLite's strftime gives the UTC text form
  // TypeORM writes datetime columns in ('YYYY-MM-DD HH:MM:SS.SSS'), which sorts as time does.
  const sql = `SELECT ${columns} FROM "sessions" s INNER JOIN "users" u ON u."id" = s."userId"
     WHERE s."userId" = ? AND s."id" = ? AND u."isActive" = 1
       AND s."revokedAt" IS NULL AND s."expiresAt" > strftime('%Y-%m-%d %H:%M:%f', 'now')`;
  let preparedFor: unknown;
  let statement: Statement<string[], UserValues> | undefined;
  return (parameters) => {
    dataSource.logger.logQuery(sql, parameters);
    const connection = nativeConnectionOf(dataSource);
    if (connection.kind !== 'better-sqlite3') {
      throw new Error(`ActiveUserLookup expected better-sqlite3, found ${connection.kind}`);
    }
    const database = connection.database;
    // Prepared on first use, and again should the data source have opened a new Database.
    if (statement === undefined || preparedFor !== database) {
      statement = database.prepare<string[], UserValues>(sql).raw(true);
      preparedFor = database;
    }
    const prepared = statement;
    // The executor turns an error thrown by the driver into a rejection, as the pg path gives.
    return new Promise((resolve) => resolve(prepared.get(...parameters)));
  };
}
