import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { portableTypes } from './migration-types';

export class CreateSecurityEvents1764400000000 implements MigrationInterface {
  name = 'CreateSecurityEvents1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { uuid, timestamp } = portableTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'security_events',
        columns: [
          { name: 'id', ...uuid, isPrimary: true },
          { name: 'type', type: 'varchar', length: '64' },
          { name: 'at', type: timestamp },
          // No foreign keys: events outlive their account.
          { name: 'userId', ...uuid, isNullable: true },
          { name: 'actorId', ...uuid, isNullable: true },
          { name: 'sessionId', ...uuid, isNullable: true },
          { name: 'ip', type: 'varchar', length: '64', isNullable: true },
          { name: 'userAgent', type: 'varchar', length: '512', isNullable: true },
          { name: 'requestId', type: 'varchar', length: '128', isNullable: true },
          { name: 'details', type: 'text' },
        ],
        indices: [
          new TableIndex({
            name: 'IDX_security_events_user_at',
            columnNames: ['userId', 'at', 'id'],
          }),
          new TableIndex({ name: 'IDX_security_events_at', columnNames: ['at', 'id'] }),
          new TableIndex({
            name: 'IDX_security_events_type_at',
            columnNames: ['type', 'at', 'id'],
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('security_events');
  }
}
