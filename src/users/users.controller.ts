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
  Query,
  Req,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentSessionId } from '../auth/decorators/current-session-id.decorator';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { Roles } from '../auth/decorators/roles.decorator';
import { clientInfoOf } from '../common/client-info';
import { paginated, PaginatedDto, type Paginated } from '../common/dto/paginated.dto';
import { AdminUpdateUserDto } from './dto/admin-update-user.dto';
import { ListUsersQueryDto } from './dto/list-users.query.dto';
import { UserResponseDto } from './dto/user-response.dto';
import { UserAdminService, type AdminActor } from './user-admin.service';
import { UsersService } from './users.service';

/** Admin user management. `/users/me` (MeController) wins over `/users/:id`: static routes first. */
@ApiTags('users')
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(
    private readonly usersService: UsersService,
    private readonly userAdmin: UserAdminService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List users, oldest first (admin)' })
  @ApiOkResponse({ type: PaginatedDto(UserResponseDto) })
  @ApiBadRequestResponse({ description: 'Invalid page, limit or search' })
  async list(@Query() query: ListUsersQueryDto): Promise<Paginated<UserResponseDto>> {
    const [users, total] = await this.userAdmin.list(query);
    return paginated(
      users.map((user) => UserResponseDto.from(user)),
      total,
      query,
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a user (admin)' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiBadRequestResponse({ description: 'Malformed id' })
  @ApiNotFoundResponse({ description: 'No such user' })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<UserResponseDto> {
    return UserResponseDto.from(await this.usersService.getById(id));
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a user (admin)',
    description:
      'Roles and isActive apply from the next request, to tokens already issued too. Disabling ends the user’s sessions.',
  })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiBadRequestResponse({ description: 'Malformed id, invalid or unknown fields' })
  @ApiNotFoundResponse({ description: 'No such user' })
  @ApiConflictResponse({ description: 'Username taken, or the change would leave no active admin' })
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AdminUpdateUserDto,
    @CurrentUser('id') adminId: string,
    @CurrentSessionId() sessionId: string,
    @Req() request: FastifyRequest,
  ): Promise<UserResponseDto> {
    const actor: AdminActor = { userId: adminId, sessionId, client: clientInfoOf(request) };
    return UserResponseDto.from(await this.userAdmin.update(id, dto, actor));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a user with their sessions and posts (admin)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiBadRequestResponse({ description: 'Malformed id' })
  @ApiNotFoundResponse({ description: 'No such user' })
  @ApiConflictResponse({ description: 'The user is the last active admin' })
  async remove(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentUser('id') adminId: string,
    @CurrentSessionId() sessionId: string,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    const actor: AdminActor = { userId: adminId, sessionId, client: clientInfoOf(request) };
    await this.userAdmin.delete(id, actor);
  }
}
