import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import { TimestampColumn, UuidPrimaryColumn } from '../database/column-types';
import { User } from '../users/user.entity';

/**
 * A user's TOTP seed: pending until confirmed with a first code, then the factor itself (with
 * `users.mfaEnabled`, the switch the login reads). The seed is kept only encrypted (SecretCipher).
 */
@Entity({ name: 'mfa_totp_factors' })
export class TotpFactor {
  @UuidPrimaryColumn()
  userId!: string;

  // Declared so that the schema diff (migration:generate) sees the migration's foreign key.
  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'userId', foreignKeyConstraintName: 'FK_mfa_totp_factors_user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 255 })
  encryptedSecret!: string;

  @TimestampColumn()
  createdAt!: Date;

  @TimestampColumn({ nullable: true })
  confirmedAt!: Date | null;

  /** The 30-second step of the last code accepted: that code, and older ones, are refused. */
  @Column({ type: 'integer', nullable: true })
  lastUsedStep!: number | null;
}
