import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { portableTypes } from './migration-types';

export class CreateOutboxMessages1764200000000 implements MigrationInterface {
  name = 'CreateOutboxMessages1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { timestamp } = portableTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'outbox_messages',
        columns: [
          {
            name: 'id',
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { name: 'channel', type: 'varchar', length: '16' },
          { name: 'kind', type: 'varchar', length: '64' },
          { name: 'recipient', type: 'varchar', length: '2048' },
          { name: 'orderingKey', type: 'varchar', length: '128', isNullable: true },
          { name: 'payload', type: 'text', isNullable: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'attempts', type: 'integer' },
          { name: 'nextAttemptAt', type: timestamp },
          { name: 'lockedUntil', type: timestamp, isNullable: true },
          { name: 'claimedBy', type: 'varchar', length: '64', isNullable: true },
          { name: 'lastError', type: 'varchar', length: '300', isNullable: true },
          { name: 'createdAt', type: timestamp },
          { name: 'firstAttemptAt', type: timestamp, isNullable: true },
          { name: 'sentAt', type: timestamp, isNullable: true },
        ],
        indices: [
          // The claim: due pending messages (and expired claims) in id order.
          new TableIndex({
            name: 'IDX_outbox_messages_due',
            columnNames: ['status', 'nextAttemptAt'],
          }),
          // The ordering check: is an older message with this key still undelivered?
          new TableIndex({
            name: 'IDX_outbox_messages_ordering',
            columnNames: ['orderingKey', 'id'],
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('outbox_messages');
  }
}
