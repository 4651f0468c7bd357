import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { TimestampColumn, UuidColumn, UuidPrimaryColumn } from '../database/column-types';
import { User } from '../users/user.entity';

/**
 * The half-login between a right password and the second factor: the `mfa_token` (only its
 * SHA-256 is kept). Not a session: it signs nothing, is never listed, and the guard never reads it.
 */
@Entity({ name: 'mfa_challenges' })
export class MfaChallenge {
  @UuidPrimaryColumn()
  id!: string;

  @Index('IDX_mfa_challenges_user_id')
  @UuidColumn()
  userId!: string;

  // Declared so that the schema diff (migration:generate) sees the migration's foreign key.
  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'userId', foreignKeyConstraintName: 'FK_mfa_challenges_user_id' })
  user?: User;

  @Index('UQ_mfa_challenges_token_hash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  tokenHash!: string;

  @Index('IDX_mfa_challenges_expires_at')
  @TimestampColumn()
  expiresAt!: Date;

  /** Codes tried with this token (each counted before its check, given back on success). */
  @Column({ type: 'integer', default: 0 })
  failedAttempts!: number;

  @TimestampColumn({ nullable: true })
  spentAt!: Date | null;
}
