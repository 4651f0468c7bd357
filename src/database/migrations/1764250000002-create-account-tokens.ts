import {
  Table,
  TableForeignKey,
  TableIndex,
  type MigrationInterface,
  type QueryRunner,
} from 'typeorm';
import { portableTypes } from './migration-types';

export class CreateAccountTokens1764250000002 implements MigrationInterface {
  name = 'CreateAccountTokens1764250000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { uuid, timestamp } = portableTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'account_tokens',
        columns: [
          { name: 'id', ...uuid, isPrimary: true },
          { name: 'purpose', type: 'varchar', length: '20' },
          { name: 'userId', ...uuid },
          { name: 'tokenHash', type: 'varchar', length: '64' },
          { name: 'newEmail', type: 'varchar', length: '254', isNullable: true },
          { name: 'expiresAt', type: timestamp },
          { name: 'usedAt', type: timestamp, isNullable: true },
          { name: 'createdAt', type: timestamp },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_account_tokens_user_id',
            columnNames: ['userId'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [
          new TableIndex({
            name: 'UQ_account_tokens_token_hash',
            columnNames: ['tokenHash'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'IDX_account_tokens_user_id_purpose',
            columnNames: ['userId', 'purpose'],
          }),
          new TableIndex({ name: 'IDX_account_tokens_expires_at', columnNames: ['expiresAt'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('account_tokens');
  }
}
