import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { portableTypes } from './migration-types';

export class CreateUsers1763888400000 implements MigrationInterface {
  name = 'CreateUsers1763888400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { uuid, timestamp } = portableTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          { name: 'id', ...uuid, isPrimary: true },
          { name: 'email', type: 'varchar', length: '254' },
          { name: 'username', type: 'varchar', length: '32' },
          { name: 'fullName', type: 'varchar', length: '100', isNullable: true },
          { name: 'passwordHash', type: 'varchar', length: '100' },
          { name: 'isActive', type: 'boolean', default: true },
          { name: 'roles', type: 'text' },
          { name: 'createdAt', type: timestamp, default: 'CURRENT_TIMESTAMP' },
          { name: 'updatedAt', type: timestamp, default: 'CURRENT_TIMESTAMP' },
        ],
      }),
    );
    // Uniqueness is case-insensitive and enforced by the database itself, so two simultaneous
    // registrations of one address cannot both succeed. The same SQL runs on SQLite and PostgreSQL.
    await queryRunner.query(
      'CREATE UNIQUE INDEX "UQ_users_email_lower" ON "users" (lower("email"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "UQ_users_username_lower" ON "users" (lower("username"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_users_created_at" ON "users" ("createdAt", "id")');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('users');
  }
}
