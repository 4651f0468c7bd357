import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  DataSource,
  type EntityManager,
  type EntitySubscriberInterface,
  type QueryRunner,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
} from 'typeorm';
import { OutboxSender } from './outbox-sender';

/**
 * Wakes the local sender when a transaction that enqueued a message commits, so a mail leaves
 * at once instead of at the next poll. Transactions that enqueued nothing cost one WeakSet lookup.
 */
@Injectable()
export class OutboxCommitWakeup implements EntitySubscriberInterface {
  private readonly waiting = new WeakSet<QueryRunner>();

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly sender: OutboxSender,
  ) {
    dataSource.subscribers.push(this);
  }

  /** Called after a message was written through `manager`. */
  afterEnqueue(manager: EntityManager): void {
    const queryRunner = manager.queryRunner;
    if (queryRunner?.isTransactionActive) {
      this.waiting.add(queryRunner);
    } else {
      this.sender.wake();
    }
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    // Nested transactions (savepoints) commit into their parent; only the outermost matters.
    if (this.waiting.has(event.queryRunner) && !event.queryRunner.isTransactionActive) {
      this.waiting.delete(event.queryRunner);
      this.sender.wake();
    }
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) {
      this.waiting.delete(event.queryRunner);
    }
  }
}
