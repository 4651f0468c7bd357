import { Body, Controller, Get, HttpCode, HttpStatus, Patch, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentSessionId } from '../auth/decorators/current-session-id.decorator';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { clientInfoOf } from '../common/client-info';
import { AuthRateLimit } from '../rate-limit/auth-rate-limit.decorator';
import { ChangePasswordDto } from './dto/change-password.dto';
import { UpdateMeDto } from './dto/update-me.dto';
import { UserResponseDto } from './dto/user-response.dto';
import { MeService } from './me.service';
import type { User } from './user.entity';

@ApiTags('me')
@Controller('users/me')
export class MeController {
  constructor(private readonly me: MeService) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: UserResponseDto })
  getMe(@CurrentUser() user: User): UserResponseDto {
    return UserResponseDto.from(user);
  }

  // Limited: a 409 tells whether a username is taken, so unthrottled it would list them all.
  @AuthRateLimit()
  @Patch()
  @ApiOperation({
    summary: 'Change your username or full name',
    description: 'Only the fields sent change; `fullName: null` clears the full name.',
  })
  @ApiBody({ type: UpdateMeDto })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiBadRequestResponse({ description: 'Invalid or unknown fields' })
  @ApiConflictResponse({ description: 'Username already taken (compared case-insensitively)' })
  async updateMe(
    @CurrentUser('id') userId: string,
    @Body() dto: UpdateMeDto,
  ): Promise<UserResponseDto> {
    return UserResponseDto.from(await this.me.updateProfile(userId, dto));
  }

  // Limited: the new password's strength check (zxcvbn) costs milliseconds of CPU per request.
  @AuthRateLimit()
  @Post('password')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Change your password',
    description: 'Every other session of yours is ended; this one stays signed in.',
  })
  @ApiBody({ type: ChangePasswordDto })
  @ApiNoContentResponse({ description: 'Password changed; the other sessions are over' })
  @ApiBadRequestResponse({ description: 'Invalid fields, or a new password the policy refuses' })
  @ApiForbiddenResponse({ description: 'The current password is wrong (counts as a failed login)' })
  @ApiTooManyRequestsResponse({ description: 'Too many failed logins; see Retry-After' })
  changePassword(
    @CurrentUser('id') userId: string,
    @CurrentSessionId() sessionId: string,
    @Body() dto: ChangePasswordDto,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    return this.me.changePassword(userId, sessionId, dto, clientInfoOf(request));
  }
}
