import type { MigrationInterface, QueryRunner } from 'typeorm';
import { portableTypes } from './migration-types';

/**
 * Trigram indexes for the admin list's `search` (a case-insensitive substring of email, username
 * or full name), so that it stays an index lookup at 100,000 users instead of a scan. PostgreSQL
 * only (pg_trgm); SQLite has no such index and keeps scanning, which is fine at its scale.
 *
 * Each index serves exactly one expression of the search's WHERE clause, which must be written
 * as: lower("email") LIKE :q OR lower("username") LIKE :q OR lower(coalesce("fullName", '')) LIKE :q
 * with :q = '%' + the lower-cased, LIKE-escaped term + '%'.
 */
export class AddUserSearchIndex1763896000000 implements MigrationInterface {
  name = 'AddUserSearchIndex1763896000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (!portableTypes(queryRunner).onPostgres) {
      return;
    }
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await queryRunner.query(
      'CREATE INDEX "IDX_users_email_trgm" ON "users" USING gin (lower("email") gin_trgm_ops)',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_users_username_trgm" ON "users" USING gin (lower("username") gin_trgm_ops)',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_users_full_name_trgm" ON "users" ' +
        `USING gin (lower(coalesce("fullName", '')) gin_trgm_ops)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (!portableTypes(queryRunner).onPostgres) {
      return;
    }
    // The extension stays: other objects may use it, and dropping it needs more privileges.
    await queryRunner.query('DROP INDEX IF EXISTS "IDX_users_full_name_trgm"');
    await queryRunner.query('DROP INDEX IF EXISTS "IDX_users_username_trgm"');
    await queryRunner.query('DROP INDEX IF EXISTS "IDX_users_email_trgm"');
  }
}
