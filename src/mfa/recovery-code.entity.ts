import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { TimestampColumn, UuidColumn, UuidPrimaryColumn } from '../database/column-types';
import { User } from '../users/user.entity';

/** One single-use recovery code, kept only as its SHA-256 (see recovery-code.ts for why). */
@Index('UQ_mfa_recovery_codes_user_id_code_hash', ['userId', 'codeHash'], { unique: true })
@Entity({ name: 'mfa_recovery_codes' })
export class RecoveryCode {
  @UuidPrimaryColumn()
  id!: string;

  @UuidColumn()
  userId!: string;

  // Declared so that the schema diff (migration:generate) sees the migration's foreign key.
  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'userId', foreignKeyConstraintName: 'FK_mfa_recovery_codes_user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 64 })
  codeHash!: string;

  @TimestampColumn()
  createdAt!: Date;

  @TimestampColumn({ nullable: true })
  usedAt!: Date | null;
}
