import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * The app's one way into a transaction (`dataSource.transaction` directly is for tests and the
 * PostgreSQL-only admin lock).
 *
 * PostgreSQL gives every transaction a pooled connection of its own. TypeORM's SQLite driver has
 * one connection, one query runner, for the whole process: a transaction is that connection's
 * state, so a second `BEGIN` while one is open fails ("cannot start a transaction within a
 * transaction", a 500), or, once the first has begun, turns into a savepoint inside it and
 * commits or rolls back with it. On SQLite the transactions therefore take turns here, in the
 * order they were asked for. That costs nothing SQLite does not already impose (one writer at a
 * time). Keep the work to database statements (hash passwords before, call Redis after): the
 * driver is synchronous, so such a turn ends before any other request runs, while a turn that
 * awaits anything else holds the queue, and lets other requests' plain statements run inside it.
 *
 * A transaction asked for from inside another (the same async context, while that one is open)
 * joins it, on both databases: it neither waits for itself nor commits on its own.
 */
@Injectable()
export class TransactionRunner {
  private readonly current = new AsyncLocalStorage<OpenTransaction>();
  /** Settles when the last transaction asked for on SQLite has finished. */
  private lastTurn: Promise<unknown> = Promise.resolve();

  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const enclosing = this.current.getStore();
    if (enclosing?.open) {
      return work(enclosing.manager);
    }
    if (this.dataSource.options.type === 'postgres') {
      return this.open(work);
    }
    const turn = this.lastTurn.then(() => this.open(work));
    // The next turn waits for this one to end, however it ends.
    this.lastTurn = turn.catch(() => undefined);
    return turn;
  }

  private open<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => {
      const transaction: OpenTransaction = { manager, open: true };
      return this.current
        .run(transaction, () => work(manager))
        .finally(() => (transaction.open = false));
    });
  }
}

interface OpenTransaction {
  manager: EntityManager;
  /** False once the work is done: timers it left behind must not join a finished transaction. */
  open: boolean;
}
