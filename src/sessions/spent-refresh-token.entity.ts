import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UuidColumn } from '../database/column-types';
import { Session } from './session.entity';

/** The hash of a refresh token that was already exchanged: presenting it again ends its session. */
@Entity({ name: 'spent_refresh_tokens' })
export class SpentRefreshToken {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tokenHash!: string;

  @Index('IDX_spent_refresh_tokens_session_id')
  @UuidColumn()
  sessionId!: string;

  // Declared so that the schema diff (migration:generate) sees the migration's foreign key.
  @ManyToOne(() => Session, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'sessionId', foreignKeyConstraintName: 'FK_spent_refresh_tokens_session_id' })
  session?: Session;
}
