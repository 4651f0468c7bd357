import { randomUUID } from 'node:crypto';
import { BeforeInsert, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import {
  CreatedAtColumn,
  UpdatedAtColumn,
  UuidColumn,
  UuidPrimaryColumn,
} from '../database/column-types';
import { User } from '../users/user.entity';

export const POST_TITLE_MAX_LENGTH = 200;
export const POST_CONTENT_MAX_LENGTH = 10_000;

// The (createdAt, id) index for the stable list order lives in the migration; the foreign key to
// users (ON DELETE CASCADE: a deleted user's posts go with them) is declared below as well.
@Index('IDX_posts_created_at', { synchronize: false })
@Entity({ name: 'posts' })
export class Post {
  @UuidPrimaryColumn()
  id!: string;

  @Column({ type: 'varchar', length: POST_TITLE_MAX_LENGTH })
  title!: string;

  @Column({ type: 'text' })
  content!: string;

  @Index('IDX_posts_author_id')
  @UuidColumn()
  authorId!: string;

  // Declared so that the schema diff (migration:generate) sees the migration's foreign key.
  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'authorId', foreignKeyConstraintName: 'FK_posts_author_id' })
  author?: User;

  @CreatedAtColumn()
  createdAt!: Date;

  @UpdatedAtColumn()
  updatedAt!: Date;

  @BeforeInsert()
  assignId(): void {
    this.id ??= randomUUID();
  }
}
