import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { portableTypes } from './migration-types';

/**
 * Existing accounts start unverified, as new ones do: nobody has proved their address yet.
 *
 * SQLite gets a plain ADD COLUMN: TypeORM's addColumn rebuilds the table there and cannot carry
 * the expression indexes on lower(email) and lower(username) across ("no such column: null").
 * The column is the same on both databases.
 */
export class AddUserEmailVerified1764250000001 implements MigrationInterface {
  name = 'AddUserEmailVerified1764250000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (!portableTypes(queryRunner).onPostgres) {
      await queryRunner.query(
        'ALTER TABLE "users" ADD COLUMN "emailVerified" boolean NOT NULL DEFAULT (false)',
      );
      return;
    }
    await queryRunner.addColumn(
      'users',
      new TableColumn({ name: 'emailVerified', type: 'boolean', default: false }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (!portableTypes(queryRunner).onPostgres) {
      await queryRunner.query('ALTER TABLE "users" DROP COLUMN "emailVerified"');
      return;
    }
    await queryRunner.dropColumn('users', 'emailVerified');
  }
}
