import { Body, Controller, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { clientInfoOf } from '../common/client-info';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { AuthRateLimit } from '../rate-limit/auth-rate-limit.decorator';
import { AcceptedResponseDto } from './dto/accepted-response.dto';
import { ChangeEmailDto } from './dto/change-email.dto';
import { EmailChangeService } from './email-change.service';

@ApiTags('me')
@Controller('users/me')
export class EmailChangeController {
  constructor(private readonly emailChange: EmailChangeService) {}

  // Rate-limited per address too: each request mails an address the caller chose.
  @AuthRateLimit()
  @Post('email')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Change your email address (confirmed from the new address)',
    description:
      'A confirmation link goes to `newEmail` (use its token with ' +
      '`POST /auth/email/change/confirm`), and a notice without a link to your current address. ' +
      'The email does not change until the link is used. A wrong current password counts as a ' +
      'failed login.',
  })
  @ApiBody({ type: ChangeEmailDto })
  @ApiAcceptedResponse({ type: AcceptedResponseDto })
  @ApiBadRequestResponse({ description: 'Invalid or unknown fields, or the current address' })
  @ApiForbiddenResponse({ description: 'The current password is wrong' })
  @ApiConflictResponse({ description: 'Another account has this address' })
  async requestChange(
    @CurrentUser('id') userId: string,
    @Body() dto: ChangeEmailDto,
    @Req() request: FastifyRequest,
  ): Promise<AcceptedResponseDto> {
    await this.emailChange.request(userId, dto, clientInfoOf(request));
    return { message: `A confirmation link was mailed to ${dto.newEmail}` };
  }
}
