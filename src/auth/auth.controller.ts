import {
  Body,
  Controller,
  Header,
  HttpCode,
  HttpStatus,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { clientInfoOf } from '../common/client-info';
import { AuthRateLimit } from '../rate-limit/auth-rate-limit.decorator';
import { UserResponseDto } from '../users/dto/user-response.dto';
import type { User } from '../users/user.entity';
import { AuthService } from './auth.service';
import { CurrentSessionId } from './decorators/current-session-id.decorator';
import { CurrentUser } from './decorators/current-user.decorator';
import { Public } from './decorators/public.decorator';
import { LoginMfaDto } from './dto/login-mfa.dto';
import { LoginDto } from './dto/login.dto';
import { LogoutDto } from './dto/logout.dto';
import { MfaRequiredResponseDto } from './dto/mfa-required-response.dto';
import { RefreshTokenDto } from './dto/refresh-token.dto';
import { RegisterDto } from './dto/register.dto';
import { TokenResponseDto } from './dto/token-response.dto';
import { LocalAuthGuard } from './guards/local-auth.guard';
import { INVALID_CREDENTIALS } from './invalid-credentials';
import { loginCodeOf } from './login-body';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly authService: AuthService) {}

  @Public()
  @AuthRateLimit()
  @Post('register')
  @ApiOperation({ summary: 'Create an account' })
  @ApiCreatedResponse({ type: UserResponseDto })
  @ApiBadRequestResponse({ description: 'Invalid or unknown fields, or a weak password' })
  @ApiConflictResponse({ description: 'Email or username already taken' })
  register(@Body() dto: RegisterDto): Promise<UserResponseDto> {
    return this.authService.register(dto);
  }

  @Public()
  @UseGuards(LocalAuthGuard)
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiOperation({
    summary: 'Sign in with the OAuth2 password form or JSON',
    description:
      "`username` is the email or the username. Swagger UI's Authorize button uses this route.",
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiBadRequestResponse({ description: 'Malformed body' })
  @ApiUnauthorizedResponse({
    description: `${INVALID_CREDENTIALS}, or an incorrect \`code\``,
  })
  @ApiForbiddenResponse({
    type: MfaRequiredResponseDto,
    description:
      'Correct password, but the account is disabled; or it has a second factor and no `code` ' +
      'was sent: `error` is `mfa_required`, and the `mfa_token` goes to POST /auth/login/mfa',
  })
  @ApiTooManyRequestsResponse({ description: 'Too many failed logins; see Retry-After' })
  login(@CurrentUser() user: User, @Req() request: FastifyRequest): Promise<TokenResponseDto> {
    return this.authService.login(user, clientInfoOf(request), loginCodeOf(request.body));
  }

  @Public()
  @Post('login/mfa')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiOperation({
    summary: 'Second step of a login: the mfa_token and a code',
    description:
      'For an account with a second factor, after POST /auth/login answered 403 `mfa_required`. ' +
      '`code` is the 6-digit TOTP code or a recovery code. The `mfa_token` lives 5 minutes, is ' +
      'spent by its first success and dies after 5 wrong codes. In Swagger UI, paste the ' +
      '`access_token` answered here into Authorize > bearer.',
  })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiBody({ type: LoginMfaDto })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiBadRequestResponse({ description: '`mfa_token` or `code` missing or not a string' })
  @ApiUnauthorizedResponse({
    description: 'Unknown, expired or spent `mfa_token`, or an incorrect code',
  })
  @ApiTooManyRequestsResponse({ description: 'Too many failed logins; see Retry-After' })
  loginWithMfa(
    @Body() dto: LoginMfaDto,
    @Req() request: FastifyRequest,
  ): Promise<TokenResponseDto> {
    return this.authService.loginWithMfaToken(dto.mfa_token, dto.code, clientInfoOf(request));
  }

  @Public()
  @AuthRateLimit()
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiOperation({
    summary: 'Exchange a refresh token for a new token pair',
    description:
      'The presented refresh token is spent: use the new one next time. Presenting a spent ' +
      'token again ends its whole session (reuse detection), so send one refresh at a time.',
  })
  @ApiBody({ type: RefreshTokenDto })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiBadRequestResponse({ description: '`refresh_token` missing or not a string' })
  @ApiUnauthorizedResponse({
    description: 'Not a live refresh token: unknown, expired, revoked or already spent',
  })
  refresh(@Body() dto: RefreshTokenDto): Promise<TokenResponseDto> {
    return this.authService.refresh(dto.refresh_token);
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'End the current session',
    description:
      "The access token's session is over: its access and refresh tokens are refused from the " +
      "next request. `refresh_token`, when given and belonging to another of the caller's " +
      'sessions, ends that session too; any other token is ignored.',
  })
  @ApiBody({ type: LogoutDto, required: false })
  @ApiNoContentResponse({ description: 'The session is over' })
  @ApiBadRequestResponse({ description: '`refresh_token` not a string, or unknown fields' })
  logout(
    @CurrentUser('id') userId: string,
    @CurrentSessionId() sessionId: string,
    @Body() dto: LogoutDto,
  ): Promise<void> {
    return this.authService.logout(userId, sessionId, dto.refresh_token);
  }
}
