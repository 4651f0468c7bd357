import {
  Table,
  TableForeignKey,
  TableIndex,
  type MigrationInterface,
  type QueryRunner,
} from 'typeorm';
import { portableTypes } from './migration-types';

export class CreateSessions1763888500000 implements MigrationInterface {
  name = 'CreateSessions1763888500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { uuid, timestamp } = portableTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'sessions',
        columns: [
          { name: 'id', ...uuid, isPrimary: true },
          { name: 'userId', ...uuid },
          { name: 'refreshTokenHash', type: 'varchar', length: '64' },
          { name: 'createdAt', type: timestamp },
          { name: 'lastUsedAt', type: timestamp },
          { name: 'expiresAt', type: timestamp },
          { name: 'revokedAt', type: timestamp, isNullable: true },
          { name: 'userAgent', type: 'varchar', length: '512', isNullable: true },
          { name: 'ip', type: 'varchar', length: '64', isNullable: true },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_sessions_user_id',
            columnNames: ['userId'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [
          new TableIndex({ name: 'IDX_sessions_user_id', columnNames: ['userId'] }),
          new TableIndex({ name: 'IDX_sessions_expires_at', columnNames: ['expiresAt'] }),
          new TableIndex({
            name: 'UQ_sessions_refresh_token_hash',
            columnNames: ['refreshTokenHash'],
            isUnique: true,
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'spent_refresh_tokens',
        columns: [
          { name: 'tokenHash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'sessionId', ...uuid },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_spent_refresh_tokens_session_id',
            columnNames: ['sessionId'],
            referencedTableName: 'sessions',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [
          new TableIndex({
            name: 'IDX_spent_refresh_tokens_session_id',
            columnNames: ['sessionId'],
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('spent_refresh_tokens');
    await queryRunner.dropTable('sessions');
  }
}
