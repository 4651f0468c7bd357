import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How each session signed in, for the `amr` claim of its access tokens (a refresh keeps it).
 * Null for the sessions opened before: they all signed in with a password (TokenService).
 *
 * Plain `ALTER TABLE ... ADD COLUMN` (the same SQL on both databases): `queryRunner.addColumn`
 * rebuilds the table on SQLite, which means dropping `sessions` under the spent tokens'
 * cascading foreign key.
 */
export class AddSessionsAmr1764300000002 implements MigrationInterface {
  name = 'AddSessionsAmr1764300000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "sessions" ADD COLUMN "amr" text NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "sessions" DROP COLUMN "amr"');
  }
}
