import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN, UUID_COLUMN } from '../database/column-types';
import { User } from '../users/user.entity';

/**
 * A user's TOTP seed: pending until confirmed with a first code, then the factor itself (with
 * `users.mfaEnabled`, the switch the login reads). The seed is kept only encrypted (SecretCipher).
 */
@Entity({ name: 'mfa_totp_factors' })
export class TotpFactor {
  @PrimaryColumn({ type: UUID_COLUMN, length: UUID_COLUMN === 'varchar' ? 36 : undefined })
  userId!: string;

  // Declared so that the schema diff (migration:generate) sees the migration's foreign key.
  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'userId', foreignKeyConstraintName: 'FK_mfa_totp_factors_user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 255 })
  encryptedSecret!: string;

  @Column({ type: TIMESTAMP_COLUMN })
  createdAt!: Date;

  @Column({ type: TIMESTAMP_COLUMN, nullable: true })
  confirmedAt!: Date | null;

  /** The 30-second step of the last code accepted: that code, and older ones, are refused. */
  @Column({ type: 'integer', nullable: true })
  lastUsedStep!: number | null;
}
