import { Body, Controller, Header, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
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
import { ConfirmTotpDto } from './dto/confirm-totp.dto';
import { PasswordAndCodeDto } from './dto/password-and-code.dto';
import { RecoveryCodesResponseDto } from './dto/recovery-codes-response.dto';
import { SetupTotpDto } from './dto/setup-totp.dto';
import { TotpSetupResponseDto } from './dto/totp-setup-response.dto';
import { MfaSettingsService, type Caller } from './mfa-settings.service';

const TOO_MANY = 'Too many failed logins of the account (wrong passwords and codes count)';

/** The signed-in user's second factor. Secrets and codes are answered with `no-store`. */
@ApiTags('me')
@ApiTooManyRequestsResponse({ description: TOO_MANY })
@Controller('users/me/mfa')
export class MfaController {
  constructor(private readonly settings: MfaSettingsService) {}

  @Post('totp/setup')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Start setting up a TOTP authenticator',
    description:
      'Answers a new seed, to scan (otpauthUrl) or type (secret) into an authenticator app; ' +
      'nothing changes until POST /users/me/mfa/totp/confirm. A new call replaces a pending seed.',
  })
  @ApiBody({ type: SetupTotpDto })
  @ApiOkResponse({ type: TotpSetupResponseDto })
  @ApiBadRequestResponse({ description: 'Invalid or unknown fields' })
  @ApiForbiddenResponse({ description: 'The current password is wrong' })
  @ApiConflictResponse({ description: 'The second factor is already on' })
  setup(
    @CurrentUser('id') userId: string,
    @CurrentSessionId() sessionId: string,
    @Req() request: FastifyRequest,
    @Body() dto: SetupTotpDto,
  ): Promise<TotpSetupResponseDto> {
    return this.settings.setup(callerOf(userId, sessionId, request), dto.currentPassword);
  }

  @Post('totp/confirm')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Turn the second factor on with a first code',
    description:
      'The factor is on from now: every other session of yours ends, and logins ask for a code. ' +
      'The 10 recovery codes are shown only this once.',
  })
  @ApiBody({ type: ConfirmTotpDto })
  @ApiOkResponse({ type: RecoveryCodesResponseDto })
  @ApiBadRequestResponse({ description: 'Wrong code, or no pending setup' })
  async confirm(
    @CurrentUser('id') userId: string,
    @CurrentSessionId() sessionId: string,
    @Req() request: FastifyRequest,
    @Body() dto: ConfirmTotpDto,
  ): Promise<RecoveryCodesResponseDto> {
    return {
      recoveryCodes: await this.settings.confirm(callerOf(userId, sessionId, request), dto.code),
    };
  }

  @Post('recovery-codes')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Replace your recovery codes',
    description: 'Ten new codes; the old ones stop working. Needs a TOTP code.',
  })
  @ApiBody({ type: PasswordAndCodeDto })
  @ApiOkResponse({ type: RecoveryCodesResponseDto })
  @ApiBadRequestResponse({ description: 'Wrong code (checked before the password)' })
  @ApiForbiddenResponse({ description: 'The current password is wrong' })
  async regenerateRecoveryCodes(
    @CurrentUser('id') userId: string,
    @CurrentSessionId() sessionId: string,
    @Req() request: FastifyRequest,
    @Body() dto: PasswordAndCodeDto,
  ): Promise<RecoveryCodesResponseDto> {
    return {
      recoveryCodes: await this.settings.regenerateRecoveryCodes(
        callerOf(userId, sessionId, request),
        dto.currentPassword,
        dto.code,
      ),
    };
  }

  @Post('disable')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Turn the second factor off',
    description: 'Needs the password and a TOTP code or a recovery code.',
  })
  @ApiBody({ type: PasswordAndCodeDto })
  @ApiNoContentResponse({ description: 'The factor is off; its seed and codes are gone' })
  @ApiBadRequestResponse({ description: 'Wrong code (checked before the password)' })
  @ApiForbiddenResponse({ description: 'The current password is wrong' })
  disable(
    @CurrentUser('id') userId: string,
    @CurrentSessionId() sessionId: string,
    @Req() request: FastifyRequest,
    @Body() dto: PasswordAndCodeDto,
  ): Promise<void> {
    return this.settings.disable(
      callerOf(userId, sessionId, request),
      dto.currentPassword,
      dto.code,
    );
  }
}

function callerOf(userId: string, sessionId: string, request: FastifyRequest): Caller {
  return { userId, sessionId, client: clientInfoOf(request) };
}
