import { Body, Controller, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiNoContentResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../auth/decorators/public.decorator';
import { clientInfoOf } from '../common/client-info';
import { AuthRateLimit } from '../rate-limit/auth-rate-limit.decorator';
import { AuthRateLimitService } from '../rate-limit/auth-rate-limit.service';
import { MAIL_ON_ITS_WAY } from './account-flow-messages';
import { AccountEmailDto } from './dto/account-email.dto';
import { AcceptedResponseDto } from './dto/accepted-response.dto';
import { ResetPasswordDto } from './dto/reset-password.dto';
import { PasswordResetService } from './password-reset.service';

/** Nothing here signs anyone in: after a reset the user logs in with the new password. */
@ApiTags('account recovery and verification')
@Controller('auth/password')
export class PasswordResetController {
  constructor(
    private readonly passwordReset: PasswordResetService,
    private readonly limits: AuthRateLimitService,
  ) {}

  @Public()
  @AuthRateLimit()
  @Post('forgot')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Ask for a password reset link by mail',
    description:
      'Always 202 with the same body, known address or not. An active account with this ' +
      'address is mailed a link to `PASSWORD_RESET_URL` with a single-use token (without ' +
      '`SMTP_URL`, in development, the mail is written to the log). Paste that token into ' +
      '`POST /auth/password/reset`. Limited per client address and per email.',
  })
  @ApiBody({ type: AccountEmailDto })
  @ApiAcceptedResponse({ type: AcceptedResponseDto })
  @ApiBadRequestResponse({ description: 'Not an email address, or unknown fields' })
  async forgot(
    @Body() dto: AccountEmailDto,
    @Req() request: FastifyRequest,
  ): Promise<AcceptedResponseDto> {
    // Per email as well as per address: many addresses must not flood one mailbox.
    await this.limits.consume(
      `${request.method} ${request.routeOptions.url ?? request.url} email`,
      dto.email.toLowerCase(),
    );
    await this.passwordReset.requestReset(dto.email, clientInfoOf(request));
    return { message: MAIL_ON_ITS_WAY };
  }

  @Public()
  @AuthRateLimit()
  @Post('reset')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Set a new password with the token from the reset mail',
    description:
      'Every session of the account ends (sign in again with the new password), every other ' +
      'reset link dies, the failed-login count is cleared, and a "password changed" mail goes ' +
      'to the account. The token works once.',
  })
  @ApiBody({ type: ResetPasswordDto })
  @ApiNoContentResponse({ description: 'Password changed; every session is over' })
  @ApiBadRequestResponse({
    description:
      'A new password the policy refuses, or a token that is unknown, expired or already used ' +
      '(one message for the three)',
  })
  reset(@Body() dto: ResetPasswordDto, @Req() request: FastifyRequest): Promise<void> {
    return this.passwordReset.reset(dto.token, dto.newPassword, clientInfoOf(request));
  }
}
