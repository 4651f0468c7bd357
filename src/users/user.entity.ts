import { randomUUID } from 'node:crypto';
import { BeforeInsert, Column, Entity, Index } from 'typeorm';
import { CreatedAtColumn, UpdatedAtColumn, UuidPrimaryColumn } from '../database/column-types';
import { Role } from './role.enum';

// Case-insensitive unique indexes on lower(email) and lower(username) live in the migration;
// `synchronize: false` tells the schema diff they exist and are not the entity's to manage.
@Index('UQ_users_email_lower', { synchronize: false })
@Index('UQ_users_username_lower', { synchronize: false })
@Index('IDX_users_created_at', { synchronize: false })
@Entity({ name: 'users' })
export class User {
  @UuidPrimaryColumn()
  id!: string;

  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 32 })
  username!: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  fullName!: string | null;

  @Column({ type: 'varchar', length: 100 })
  passwordHash!: string;

  // Defaults are written as the migrations wrote them (SQLite would read `true` back as `1`), so
  // that migration:generate finds nothing to change (test/schema-drift.e2e-spec.ts).
  @Column({ type: 'boolean', default: () => 'true' })
  isActive!: boolean;

  @Column({ type: 'simple-array' })
  roles!: Role[];

  /**
   * The second factor is on (src/mfa owns its seed and codes). Kept on this row, which the guard
   * reads on every request anyway, so knowing it costs no query.
   */
  @Column({ type: 'boolean', default: () => 'false' })
  mfaEnabled!: boolean;

  @CreatedAtColumn()
  createdAt!: Date;

  @UpdatedAtColumn()
  updatedAt!: Date;

  @BeforeInsert()
  assignId(): void {
    this.id ??= randomUUID();
  }

  get isAdmin(): boolean {
    return this.roles.includes(Role.Admin);
  }
}
