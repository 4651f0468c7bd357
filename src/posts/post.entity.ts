import { randomUUID } from 'node:crypto';
import {
  BeforeInsert,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { TIMESTAMP_COLUMN, UUID_COLUMN } from '../database/column-types';

export const POST_TITLE_MAX_LENGTH = 200;
export const POST_CONTENT_MAX_LENGTH = 10_000;

// The foreign key to users (ON DELETE CASCADE: a deleted user's posts go with them) and the
// (createdAt, id) index for the stable list order live in the migration.
@Index('IDX_posts_created_at', { synchronize: false })
@Entity({ name: 'posts' })
export class Post {
  @PrimaryColumn({ type: UUID_COLUMN, length: UUID_COLUMN === 'varchar' ? 36 : undefined })
  id!: string;

  @Column({ type: 'varchar', length: POST_TITLE_MAX_LENGTH })
  title!: string;

  @Column({ type: 'text' })
  content!: string;

  @Index('IDX_posts_author_id')
  @Column({ type: UUID_COLUMN, length: UUID_COLUMN === 'varchar' ? 36 : undefined })
  authorId!: string;

  @CreateDateColumn({ type: TIMESTAMP_COLUMN })
  createdAt!: Date;

  @UpdateDateColumn({ type: TIMESTAMP_COLUMN })
  updatedAt!: Date;

  @BeforeInsert()
  assignId(): void {
    this.id ??= randomUUID();
  }
}
