import type { MigrationInterface, QueryRunner } from 'typeorm';
import { portableTypes } from './migration-types';

const TIMESTAMPS = [
  ['users', 'createdAt'],
  ['users', 'updatedAt'],
  ['posts', 'createdAt'],
  ['posts', 'updatedAt'],
] as const;

/**
 * On PostgreSQL, writes the created/updated defaults as `now()`, the form TypeORM's schema diff
 * expects (it reads `CURRENT_TIMESTAMP` back as a change). Same value, same behaviour: this only
 * keeps `migration:generate` from rewriting these columns (test/schema-drift.e2e-spec.ts).
 */
export class TimestampDefaultsNow1763990100000 implements MigrationInterface {
  name = 'TimestampDefaultsNow1763990100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await setDefaults(queryRunner, 'now()');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await setDefaults(queryRunner, 'CURRENT_TIMESTAMP');
  }
}

async function setDefaults(queryRunner: QueryRunner, expression: string): Promise<void> {
  if (!portableTypes(queryRunner).onPostgres) {
    return;
  }
  for (const [table, column] of TIMESTAMPS) {
    await queryRunner.query(
      `ALTER TABLE "${table}" ALTER COLUMN "${column}" SET DEFAULT ${expression}`,
    );
  }
}
