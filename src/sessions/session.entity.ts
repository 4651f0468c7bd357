import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { TimestampColumn, UuidColumn, UuidPrimaryColumn } from '../database/column-types';
import { User } from '../users/user.entity';

/**
 * One login: the `sid` of its access tokens. Only the SHA-256 of the current refresh token is
 * kept; spent ones move to {@link SpentRefreshToken} so that their reuse can be recognised.
 */
@Entity({ name: 'sessions' })
export class Session {
  @UuidPrimaryColumn()
  id!: string;

  @Index('IDX_sessions_user_id')
  @UuidColumn()
  userId!: string;

  // Declared so that the schema diff (migration:generate) sees the migration's foreign key;
  // never loaded: code works with userId.
  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'userId', foreignKeyConstraintName: 'FK_sessions_user_id' })
  user?: User;

  @Index('UQ_sessions_refresh_token_hash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  refreshTokenHash!: string;

  @TimestampColumn()
  createdAt!: Date;

  @TimestampColumn()
  lastUsedAt!: Date;

  @Index('IDX_sessions_expires_at')
  @TimestampColumn()
  expiresAt!: Date;

  @TimestampColumn({ nullable: true })
  revokedAt!: Date | null;

  @Column({ type: 'varchar', length: 512, nullable: true })
  userAgent!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  /**
   * How the user signed in (RFC 8176 `amr`), carried by every access token of the session;
   * null for sessions opened before it was recorded, which all signed in with a password.
   * No column default: TypeORM reads defaulted columns back after an insert, and on SQLite it
   * matches the rows of a multi-row insert to the wrong entities.
   */
  @Column({ type: 'simple-array', nullable: true })
  amr!: string[] | null;
}
