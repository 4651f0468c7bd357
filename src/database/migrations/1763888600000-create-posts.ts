import {
  Table,
  TableForeignKey,
  TableIndex,
  type MigrationInterface,
  type QueryRunner,
} from 'typeorm';
import { portableTypes } from './migration-types';

export class CreatePosts1763888600000 implements MigrationInterface {
  name = 'CreatePosts1763888600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { uuid, timestamp } = portableTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'posts',
        columns: [
          { name: 'id', ...uuid, isPrimary: true },
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'content', type: 'text' },
          { name: 'authorId', ...uuid },
          { name: 'createdAt', type: timestamp, default: 'CURRENT_TIMESTAMP' },
          { name: 'updatedAt', type: timestamp, default: 'CURRENT_TIMESTAMP' },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_posts_author_id',
            columnNames: ['authorId'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [
          new TableIndex({ name: 'IDX_posts_author_id', columnNames: ['authorId'] }),
          new TableIndex({ name: 'IDX_posts_created_at', columnNames: ['createdAt', 'id'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('posts');
  }
}
