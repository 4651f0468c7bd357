import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { assertOwnerOrAdmin } from '../auth/ownership';
import { containsPattern } from '../common/dto/pagination-query.dto';
import type { User } from '../users/user.entity';
import type { CreatePostDto } from './dto/create-post.dto';
import type { ListPostsQueryDto } from './dto/list-posts.query.dto';
import type { UpdatePostDto } from './dto/update-post.dto';
import { Post } from './post.entity';

@Injectable()
export class PostsService {
  constructor(@InjectRepository(Post) private readonly posts: Repository<Post>) {}

  /** One page of posts, oldest first, ties broken by id so pages never overlap. */
  list(query: ListPostsQueryDto): Promise<[Post[], number]> {
    const builder = this.posts
      .createQueryBuilder('post')
      .orderBy('post.createdAt', 'ASC')
      .addOrderBy('post.id', 'ASC')
      .offset(query.offset)
      .limit(query.limit);
    if (query.search) {
      builder.where("lower(post.title) LIKE :pattern ESCAPE '\\'", {
        pattern: containsPattern(query.search),
      });
    }
    return builder.getManyAndCount();
  }

  async getById(id: string): Promise<Post> {
    const post = await this.posts.findOneBy({ id });
    if (!post) {
      throw new NotFoundException('Post not found');
    }
    return post;
  }

  create(author: User, dto: CreatePostDto): Promise<Post> {
    return this.posts.save(
      this.posts.create({ title: dto.title, content: dto.content, authorId: author.id }),
    );
  }

  async update(id: string, user: User, dto: UpdatePostDto): Promise<Post> {
    const post = await this.getById(id);
    assertOwnerOrAdmin(user, post.authorId, 'post');
    if (dto.title !== undefined) {
      post.title = dto.title;
    }
    if (dto.content !== undefined) {
      post.content = dto.content;
    }
    return this.posts.save(post);
  }

  async remove(id: string, user: User): Promise<void> {
    const post = await this.getById(id);
    assertOwnerOrAdmin(user, post.authorId, 'post');
    await this.posts.delete({ id });
  }
}
