import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { TimestampColumn, UuidColumn, UuidPrimaryColumn } from '../database/column-types';
import { User } from '../users/user.entity';

/** What a mailed token allows; a token of one purpose is never accepted for another. */
export enum AccountTokenPurpose {
  PasswordReset = 'password_reset',
  EmailVerify = 'email_verify',
  EmailChange = 'email_change',
}

/**
 * A single-use token sent by mail. Only the SHA-256 of the token is kept, so a leaked database
 * row opens nothing; `usedAt` is set once, by the one request that spends it.
 */
@Index('IDX_account_tokens_user_id_purpose', ['userId', 'purpose'])
@Entity({ name: 'account_tokens' })
export class AccountToken {
  @UuidPrimaryColumn()
  id!: string;

  @Column({ type: 'varchar', length: 20 })
  purpose!: AccountTokenPurpose;

  @UuidColumn()
  userId!: string;

  // Declared so that the schema diff sees the migration's foreign key; code works with userId.
  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'userId', foreignKeyConstraintName: 'FK_account_tokens_user_id' })
  user?: User;

  @Index('UQ_account_tokens_token_hash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  tokenHash!: string;

  /** The address an email-change token moves the account to; null for the other purposes. */
  @Column({ type: 'varchar', length: 254, nullable: true })
  newEmail!: string | null;

  @Index('IDX_account_tokens_expires_at')
  @TimestampColumn()
  expiresAt!: Date;

  @TimestampColumn({ nullable: true })
  usedAt!: Date | null;

  @TimestampColumn()
  createdAt!: Date;
}
