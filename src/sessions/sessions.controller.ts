import {
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Req,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentSessionId } from '../auth/decorators/current-session-id.decorator';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { clientInfoOf } from '../common/client-info';
import { SessionResponseDto } from './dto/session-response.dto';
import { SessionsService } from './sessions.service';

@ApiTags('me')
@Controller('users/me/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  @ApiOperation({ summary: "The caller's live sessions (one per login), most recently used first" })
  @ApiOkResponse({ type: SessionResponseDto, isArray: true })
  async list(
    @CurrentUser('id') userId: string,
    @CurrentSessionId() currentSessionId: string,
  ): Promise<SessionResponseDto[]> {
    const sessions = await this.sessions.listLive(userId);
    return sessions.map((session) => SessionResponseDto.from(session, currentSessionId));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'End one of your sessions',
    description:
      'Its access and refresh tokens are refused from the next request. Ending the current session is a logout.',
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'A session id from the list' })
  @ApiNoContentResponse({ description: 'The session is over' })
  @ApiBadRequestResponse({ description: 'The id is not a UUID' })
  @ApiNotFoundResponse({ description: 'No live session of yours has this id' })
  async revoke(
    @CurrentUser('id') userId: string,
    @Param('id', new ParseUUIDPipe()) sessionId: string,
    @CurrentSessionId() currentSessionId: string,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    // Another user's session gets the same 404 as an unknown id: ids reveal nothing.
    // Lower case: PostgreSQL's uuid type ignores case, SQLite's text does not.
    const by = { sessionId: currentSessionId, client: clientInfoOf(request) };
    if (!(await this.sessions.endOwnSession(userId, sessionId.toLowerCase(), by))) {
      throw new NotFoundException('Session not found');
    }
  }
}
