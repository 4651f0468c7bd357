import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { Public } from '../auth/decorators/public.decorator';
import { paginated, PaginatedDto, type Paginated } from '../common/dto/paginated.dto';
import type { User } from '../users/user.entity';
import { CreatePostDto } from './dto/create-post.dto';
import { ListPostsQueryDto } from './dto/list-posts.query.dto';
import { PostResponseDto } from './dto/post-response.dto';
import { UpdatePostDto } from './dto/update-post.dto';
import { PostsService } from './posts.service';

/**
 * The example feature module: no auth code beyond @Public() on the reads and @CurrentUser() on
 * the writes. Everything else is protected by the global guard; ownership is checked by
 * assertOwnerOrAdmin in the service.
 */
@ApiTags('posts')
@Controller('posts')
export class PostsController {
  constructor(private readonly postsService: PostsService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'List posts, oldest first' })
  @ApiOkResponse({ type: PaginatedDto(PostResponseDto) })
  @ApiBadRequestResponse({ description: 'Invalid page, limit or search' })
  async list(@Query() query: ListPostsQueryDto): Promise<Paginated<PostResponseDto>> {
    const [posts, total] = await this.postsService.list(query);
    return paginated(
      posts.map((post) => PostResponseDto.from(post)),
      total,
      query,
    );
  }

  @Public()
  @Get(':id')
  @ApiOperation({ summary: 'Read a post' })
  @ApiOkResponse({ type: PostResponseDto })
  @ApiBadRequestResponse({ description: 'Malformed id' })
  @ApiNotFoundResponse({ description: 'No such post' })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<PostResponseDto> {
    return PostResponseDto.from(await this.postsService.getById(id));
  }

  @Post()
  @ApiOperation({ summary: 'Write a post as the signed-in user' })
  @ApiCreatedResponse({ type: PostResponseDto })
  @ApiBadRequestResponse({ description: 'Invalid or unknown fields' })
  async create(@CurrentUser() user: User, @Body() dto: CreatePostDto): Promise<PostResponseDto> {
    return PostResponseDto.from(await this.postsService.create(user, dto));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a post (its author or an admin)' })
  @ApiOkResponse({ type: PostResponseDto })
  @ApiBadRequestResponse({ description: 'Malformed id, invalid or unknown fields' })
  @ApiForbiddenResponse({ description: 'Neither the author nor an admin' })
  @ApiNotFoundResponse({ description: 'No such post' })
  async update(
    @CurrentUser() user: User,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdatePostDto,
  ): Promise<PostResponseDto> {
    return PostResponseDto.from(await this.postsService.update(id, user, dto));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a post (its author or an admin)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiBadRequestResponse({ description: 'Malformed id' })
  @ApiForbiddenResponse({ description: 'Neither the author nor an admin' })
  @ApiNotFoundResponse({ description: 'No such post' })
  async remove(@CurrentUser() user: User, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.postsService.remove(id, user);
  }
}
