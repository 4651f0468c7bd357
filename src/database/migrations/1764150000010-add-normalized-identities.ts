import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { portableTypes } from './migration-types';

const COLUMNS = [
  { folded: 'emailNormalized', index: 'UQ_users_email_normalized' },
  { folded: 'usernameNormalized', index: 'UQ_users_username_normalized' },
] as const;

/** Rows per UPDATE statement: 5 parameters a row, well under either database's limit. */
const BATCH_SIZE = 100;

interface UserRow {
  id: string;
  email: string;
  username: string;
}

/**
 * Replaces the unique indexes on lower(email) and lower(username) with unique indexes on folded
 * copies computed in TypeScript: SQLite's lower() folds ASCII only (`Élodie@x` and `élodie@x`
 * were two accounts there), and neither database treated the NFC and NFD spellings of one
 * address as one. The copies are filled here for the existing rows.
 *
 * Two existing accounts may fold to the same text (they were exactly that bug). The oldest keeps
 * the folded value, so lookups by that email or username find it; each later one gets a value
 * that no input folds to (`duplicate:<id>:<folded>`; `:` is valid in neither an email nor a
 * username), so that it can still sign in by its other identifier and an admin can sort it out.
 *
 * The folding is written out here rather than imported (src/users/identity-normalization.ts),
 * so that this migration keeps doing what it did should the application's rule change later.
 */
export class AddNormalizedIdentities1764150000010 implements MigrationInterface {
  name = 'AddNormalizedIdentities1764150000010';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX IF EXISTS "UQ_users_email_lower"');
    await queryRunner.query('DROP INDEX IF EXISTS "UQ_users_username_lower"');
    for (const { folded } of COLUMNS) {
      await queryRunner.addColumn(
        'users',
        new TableColumn({ name: folded, type: 'text', isNullable: true }),
      );
    }
    await fillFoldedColumns(queryRunner);
    for (const { folded, index } of COLUMNS) {
      // On SQLite this rebuilds the table (TypeORM turns foreign keys off while migrating).
      await queryRunner.changeColumn(
        'users',
        folded,
        new TableColumn({ name: folded, type: 'text', isNullable: false }),
      );
      await queryRunner.createIndex(
        'users',
        new TableIndex({ name: index, columnNames: [folded], isUnique: true }),
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const { folded, index } of COLUMNS) {
      await queryRunner.dropIndex('users', index);
      await queryRunner.dropColumn('users', folded);
    }
    await queryRunner.query(
      'CREATE UNIQUE INDEX "UQ_users_email_lower" ON "users" (lower("email"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "UQ_users_username_lower" ON "users" (lower("username"))',
    );
  }
}

function fold(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

async function fillFoldedColumns(queryRunner: QueryRunner): Promise<void> {
  // Oldest first, so that the first account seen with a folded value is the one that keeps it.
  const rows = (await queryRunner.query(
    'SELECT "id", "email", "username" FROM "users" ORDER BY "createdAt", "id"',
  )) as UserRow[];
  const taken = { email: new Set<string>(), username: new Set<string>() };
  const values = rows.map((row) => {
    const unique = (source: 'email' | 'username'): string => {
      const folded = fold(row[source]);
      if (taken[source].has(folded)) {
        return `duplicate:${row.id}:${folded}`;
      }
      taken[source].add(folded);
      return folded;
    };
    return { id: row.id, email: unique('email'), username: unique('username') };
  });
  const { onPostgres } = portableTypes(queryRunner);
  for (let start = 0; start < values.length; start += BATCH_SIZE) {
    const batch = values.slice(start, start + BATCH_SIZE);
    const parameters: string[] = [];
    const parameter = (value: string): string => {
      parameters.push(value);
      return onPostgres ? `$${parameters.length}` : '?';
    };
    // One portable statement per batch: CASE picks each row's values by id.
    const cases = (field: 'email' | 'username'): string =>
      batch.map((row) => `WHEN ${parameter(row.id)} THEN ${parameter(row[field])}`).join(' ');
    const emailCases = cases('email');
    const usernameCases = cases('username');
    const ids = batch.map((row) => parameter(row.id)).join(', ');
    await queryRunner.query(
      `UPDATE "users" SET "emailNormalized" = CASE "id" ${emailCases} END, ` +
        `"usernameNormalized" = CASE "id" ${usernameCases} END WHERE "id" IN (${ids})`,
      parameters,
    );
  }
}
