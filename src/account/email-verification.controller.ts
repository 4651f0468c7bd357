import { Body, Controller, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../auth/decorators/public.decorator';
import { clientInfoOf } from '../common/client-info';
import { AuthRateLimit } from '../rate-limit/auth-rate-limit.decorator';
import { MAIL_ON_ITS_WAY } from './account-flow-messages';
import { AccountEmailDto } from './dto/account-email.dto';
import { AcceptedResponseDto } from './dto/accepted-response.dto';
import { MailTokenDto } from './dto/mail-token.dto';
import { EmailChangeService } from './email-change.service';
import { EmailVerificationService, RESENDS_PER_HOUR } from './email-verification.service';

/** The mailed links for addresses. POST only: a GET (a mail scanner) consumes nothing. */
@ApiTags('account recovery and verification')
@Controller('auth/email')
export class EmailVerificationController {
  constructor(
    private readonly verification: EmailVerificationService,
    private readonly emailChange: EmailChangeService,
  ) {}

  @Public()
  @AuthRateLimit()
  @Post('verify')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Verify the address with the token from the verification mail',
    description: 'Registration mails the link; `emailVerified` becomes true. Signs nobody in.',
  })
  @ApiBody({ type: MailTokenDto })
  @ApiNoContentResponse({ description: 'The address is verified' })
  @ApiBadRequestResponse({ description: 'The token is unknown, expired or already used' })
  verify(@Body() dto: MailTokenDto, @Req() request: FastifyRequest): Promise<void> {
    return this.verification.verify(dto.token, clientInfoOf(request));
  }

  @Public()
  @AuthRateLimit()
  @Post('verify/resend')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Mail a fresh verification link',
    description:
      'Always 202 with the same body. An active account with this address that is not yet ' +
      `verified is mailed a new link, at most ${RESENDS_PER_HOUR} times an hour; earlier links ` +
      'stay valid until they expire.',
  })
  @ApiBody({ type: AccountEmailDto })
  @ApiAcceptedResponse({ type: AcceptedResponseDto })
  @ApiBadRequestResponse({ description: 'Not an email address, or unknown fields' })
  async resend(@Body() dto: AccountEmailDto): Promise<AcceptedResponseDto> {
    await this.verification.resend(dto.email);
    return { message: MAIL_ON_ITS_WAY };
  }

  @Public()
  @AuthRateLimit()
  @Post('change/confirm')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Confirm a new address with the token mailed to it',
    description:
      'The account moves to the new address, verified. Sessions are unaffected and nobody is ' +
      'signed in; links mailed to the old address stop working.',
  })
  @ApiBody({ type: MailTokenDto })
  @ApiNoContentResponse({ description: 'The email is changed' })
  @ApiBadRequestResponse({ description: 'The token is unknown, expired or already used' })
  @ApiConflictResponse({ description: 'Another account took the address meanwhile' })
  confirmChange(@Body() dto: MailTokenDto, @Req() request: FastifyRequest): Promise<void> {
    return this.emailChange.confirm(dto.token, clientInfoOf(request));
  }
}
