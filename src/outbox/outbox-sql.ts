import type { Database, Statement } from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { nativeConnectionOf } from '../database/native-connection';

export interface SqlResult {
  rows: Record<string, unknown>[];
  affected: number;
}

const SQLITE_TRANSACTION_WAIT_MS = 5;
const SQLITE_TRANSACTION_WAIT_LIMIT_MS = 30_000;

/**
 * Runs the sender's statements, written once with `?` placeholders, on either database.
 *
 * PostgreSQL: on a pooled connection of its own, so nothing joins a request's transaction.
 * SQLite: TypeORM shares one connection for the whole process, so a statement issued while a
 * request's transaction is open would run inside it, see its uncommitted mail and be undone by
 * its rollback. The statements therefore go straight to the better-sqlite3 handle, synchronously,
 * only at a moment when no transaction is open: nothing can interleave with a synchronous call.
 */
export class OutboxSql {
  readonly onPostgres: boolean;
  private readonly sqliteStatements = new WeakMap<Database, Map<string, Statement>>();

  constructor(private readonly dataSource: DataSource) {
    this.onPostgres = dataSource.options.type === 'postgres';
  }

  /** `(?, ?, ?)` for a list parameter. */
  static list(length: number): string {
    return `(${Array.from({ length }, () => '?').join(', ')})`;
  }

  async run(sql: string, parameters: unknown[]): Promise<SqlResult> {
    return this.onPostgres
      ? this.runOnPostgres(sql, parameters)
      : this.runOnSqlite(sql, parameters);
  }

  /** A timestamp as the database returned it (Date on PostgreSQL, UTC text on SQLite). */
  readTimestamp(value: unknown): Date | null {
    if (value === null || value === undefined) {
      return null;
    }
    if (value instanceof Date) {
      return value;
    }
    if (typeof value !== 'string') {
      throw new Error('a timestamp column returned neither a Date nor text');
    }
    return new Date(`${value.replace(' ', 'T')}Z`);
  }

  private async runOnPostgres(sql: string, parameters: unknown[]): Promise<SqlResult> {
    let index = 0;
    const numbered = sql.replace(/\?/g, () => `$${++index}`);
    const queryRunner = this.dataSource.createQueryRunner();
    try {
      const result = await queryRunner.query(numbered, parameters, true);
      return {
        rows: (result.records ?? []) as Record<string, unknown>[],
        affected: result.affected ?? 0,
      };
    } finally {
      await queryRunner.release();
    }
  }

  private async runOnSqlite(sql: string, parameters: unknown[]): Promise<SqlResult> {
    const connection = nativeConnectionOf(this.dataSource);
    if (connection.kind !== 'better-sqlite3') {
      throw new Error('not a SQLite data source');
    }
    const database = connection.database;
    const deadline = Date.now() + SQLITE_TRANSACTION_WAIT_LIMIT_MS;
    while (database.inTransaction) {
      if (Date.now() > deadline) {
        throw new Error('the SQLite connection stayed inside a transaction for 30 s');
      }
      await new Promise((resolve) => setTimeout(resolve, SQLITE_TRANSACTION_WAIT_MS));
    }
    // From here to the return everything is synchronous.
    const statement = this.sqliteStatement(database, sql);
    const values = parameters.map(toSqliteValue);
    if (statement.reader) {
      const rows = statement.all(...values) as Record<string, unknown>[];
      return { rows, affected: rows.length };
    }
    return { rows: [], affected: statement.run(...values).changes };
  }

  private sqliteStatement(database: Database, sql: string): Statement {
    let statements = this.sqliteStatements.get(database);
    if (!statements) {
      statements = new Map();
      this.sqliteStatements.set(database, statements);
    }
    let statement = statements.get(sql);
    if (!statement) {
      statement = database.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  }
}

/** TypeORM keeps SQLite datetimes as UTC `YYYY-MM-DD HH:MM:SS.SSS`, which compares as text. */
function toSqliteValue(value: unknown): unknown {
  return value instanceof Date ? value.toISOString().replace('T', ' ').replace('Z', '') : value;
}
