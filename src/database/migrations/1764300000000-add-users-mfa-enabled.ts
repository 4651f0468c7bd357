import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The second factor's switch, on the row the per-request check already reads.
 *
 * Plain `ALTER TABLE ... ADD COLUMN` (the same SQL on SQLite and PostgreSQL) rather than
 * `queryRunner.addColumn`: on SQLite that rebuilds the table, and the rebuild cannot copy the
 * expression indexes on lower(email) and lower(username).
 */
export class AddUsersMfaEnabled1764300000000 implements MigrationInterface {
  name = 'AddUsersMfaEnabled1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "users" ADD COLUMN "mfaEnabled" boolean NOT NULL DEFAULT (false)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "mfaEnabled"');
  }
}
