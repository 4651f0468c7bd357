import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN, UUID_COLUMN } from '../database/column-types';
import { User } from '../users/user.entity';

/** One single-use recovery code, kept only as its SHA-256 (see recovery-code.ts for why). */
@Index('UQ_mfa_recovery_codes_user_id_code_hash', ['userId', 'codeHash'], { unique: true })
@Entity({ name: 'mfa_recovery_codes' })
export class RecoveryCode {
  @PrimaryColumn({ type: UUID_COLUMN, length: UUID_COLUMN === 'varchar' ? 36 : undefined })
  id!: string;

  @Column({ type: UUID_COLUMN, length: UUID_COLUMN === 'varchar' ? 36 : undefined })
  userId!: string;

  // Declared so that the schema diff (migration:generate) sees the migration's foreign key.
  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'userId', foreignKeyConstraintName: 'FK_mfa_recovery_codes_user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 64 })
  codeHash!: string;

  @Column({ type: TIMESTAMP_COLUMN })
  createdAt!: Date;

  @Column({ type: TIMESTAMP_COLUMN, nullable: true })
  usedAt!: Date | null;
}
