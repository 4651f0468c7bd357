import {
  Table,
  TableForeignKey,
  TableIndex,
  type MigrationInterface,
  type QueryRunner,
} from 'typeorm';
import { portableTypes } from './migration-types';

const userForeignKey = (table: string): TableForeignKey =>
  new TableForeignKey({
    name: `FK_${table}_user_id`,
    columnNames: ['userId'],
    referencedTableName: 'users',
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
  });

/** The TOTP seeds, the recovery codes and the pending second steps of logins (src/mfa). */
export class CreateMfaTables1764300000001 implements MigrationInterface {
  name = 'CreateMfaTables1764300000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { uuid, timestamp } = portableTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'mfa_totp_factors',
        columns: [
          { name: 'userId', ...uuid, isPrimary: true },
          { name: 'encryptedSecret', type: 'varchar', length: '255' },
          { name: 'createdAt', type: timestamp },
          { name: 'confirmedAt', type: timestamp, isNullable: true },
          { name: 'lastUsedStep', type: 'integer', isNullable: true },
        ],
        foreignKeys: [userForeignKey('mfa_totp_factors')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'mfa_recovery_codes',
        columns: [
          { name: 'id', ...uuid, isPrimary: true },
          { name: 'userId', ...uuid },
          { name: 'codeHash', type: 'varchar', length: '64' },
          { name: 'createdAt', type: timestamp },
          { name: 'usedAt', type: timestamp, isNullable: true },
        ],
        foreignKeys: [userForeignKey('mfa_recovery_codes')],
        indices: [
          new TableIndex({
            name: 'UQ_mfa_recovery_codes_user_id_code_hash',
            columnNames: ['userId', 'codeHash'],
            isUnique: true,
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'mfa_challenges',
        columns: [
          { name: 'id', ...uuid, isPrimary: true },
          { name: 'userId', ...uuid },
          { name: 'tokenHash', type: 'varchar', length: '64' },
          { name: 'expiresAt', type: timestamp },
          { name: 'failedAttempts', type: 'integer', default: 0 },
          { name: 'spentAt', type: timestamp, isNullable: true },
        ],
        foreignKeys: [userForeignKey('mfa_challenges')],
        indices: [
          new TableIndex({ name: 'IDX_mfa_challenges_user_id', columnNames: ['userId'] }),
          new TableIndex({ name: 'IDX_mfa_challenges_expires_at', columnNames: ['expiresAt'] }),
          new TableIndex({
            name: 'UQ_mfa_challenges_token_hash',
            columnNames: ['tokenHash'],
            isUnique: true,
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('mfa_challenges');
    await queryRunner.dropTable('mfa_recovery_codes');
    await queryRunner.dropTable('mfa_totp_factors');
  }
}
