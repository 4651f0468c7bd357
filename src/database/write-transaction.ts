import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs several writes that belong together (a user's new password and the end of their other
 * sessions) in one transaction on PostgreSQL, so they commit or roll back together.
 *
 * On SQLite they run one after another, each atomic, without a transaction: TypeORM's
 * better-sqlite3 driver shares one connection and query runner among all requests, so a BEGIN
 * would sweep whatever other requests send meanwhile into this transaction (and a second one
 * would nest as a savepoint). SQLite's single writer still orders the statements; callers write
 * them so that any interleaving is safe (a new session checks the users row in its own insert).
 * What SQLite loses is only all-or-nothing should the process die between two statements.
 */
export function inWriteTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  if (dataSource.options.type !== 'postgres') {
    return work(dataSource.manager);
  }
  return dataSource.transaction(work);
}
