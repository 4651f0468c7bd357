import { randomUUID } from 'node:crypto';
import { BeforeInsert, Column, Entity, Index } from 'typeorm';
import { CreatedAtColumn, UpdatedAtColumn, UuidPrimaryColumn } from '../database/column-types';
import { Role } from './role.enum';

// `synchronize: false`: the index lives in the migration, not the entity's to manage.
@Index('IDX_users_created_at', { synchronize: false })
@Entity({ name: 'users' })
export class User {
  @UuidPrimaryColumn()
  id!: string;

  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 32 })
  username!: string;

  /**
   * `email` and `username` as they are compared (normalizeIdentity: NFC, then lower case), with
   * the unique indexes. Set by UserIdentitySubscriber whenever the email or username is written;
   * the fields above keep the text as entered, for display. `text`: folding may lengthen it.
   */
  @Index('UQ_users_email_normalized', { unique: true })
  @Column({ type: 'text' })
  emailNormalized!: string;

  @Index('UQ_users_username_normalized', { unique: true })
  @Column({ type: 'text' })
  usernameNormalized!: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  fullName!: string | null;

  @Column({ type: 'varchar', length: 100 })
  passwordHash!: string;

  // Defaults are written as the migrations wrote them (SQLite would read `true` back as `1`), so
  // that migration:generate finds nothing to change (test/schema-drift.e2e-spec.ts).
  @Column({ type: 'boolean', default: () => 'true' })
  isActive!: boolean;

  /** The owner proved the address by a mail link (or is an operator-made admin). */
  @Column({ type: 'boolean', default: () => 'false' })
  emailVerified!: boolean;

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
