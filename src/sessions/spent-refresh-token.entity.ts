import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { UUID_COLUMN } from '../database/column-types';

/** The hash of a refresh token that was already exchanged: presenting it again ends its session. */
@Entity({ name: 'spent_refresh_tokens' })
export class SpentRefreshToken {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tokenHash!: string;

  @Index('IDX_spent_refresh_tokens_session_id')
  @Column({ type: UUID_COLUMN, length: UUID_COLUMN === 'varchar' ? 36 : undefined })
  sessionId!: string;
}
