import type { DataSource, EntityManager } from 'typeorm';

/** Per SQLite data source: the end of the last transaction queued on it. */
const sqliteQueues = new WeakMap<DataSource, Promise<void>>();

/**
 * `dataSource.transaction(work)`, safe under concurrent requests on SQLite too.
 *
 * TypeORM gives SQLite one connection, and two transactions started on it at once fail
 * ("cannot start a transaction within a transaction") or nest one inside the other. So on
 * SQLite they run one after the other; SQLite runs one writer at a time anyway, and each of
 * these transactions lasts a few synchronous statements. PostgreSQL transactions take a pooled
 * connection each and run side by side as before. Never call it from inside `work` (that would
 * wait for itself): pass `work`'s manager down instead.
 */
export function inTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  if (dataSource.options.type === 'postgres') {
    return dataSource.transaction(work);
  }
  const previous = sqliteQueues.get(dataSource) ?? Promise.resolve();
  const run = previous.then(() => dataSource.transaction(work));
  sqliteQueues.set(
    dataSource,
    run.then(
      () => undefined,
      () => undefined,
    ),
  );
  return run;
}
