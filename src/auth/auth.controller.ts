import { Body, Controller, HttpCode, HttpStatus, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientInfoOf } from '../common/client-info';
import { AuthRateLimit } from '../rate-limit/auth-rate-limit.decorator';
import { UserResponseDto } from '../users/dto/user-response.dto';
import type { User } from '../users/user.entity';
import { AuthService } from './auth.service';
import { AuthCookies } from './cookies/auth-cookies.service';
import { IssuesTokens } from './cookies/issues-tokens.decorator';
import { RefreshCookieGuard } from './cookies/refresh-cookie.guard';
import { CurrentSessionId } from './decorators/current-session-id.decorator';
import { CurrentUser } from './decorators/current-user.decorator';
import { Public } from './decorators/public.decorator';
import { TokenEndpoint } from './decorators/token-endpoint.decorator';
import { LoginMfaDto } from './dto/login-mfa.dto';
import { LoginDto } from './dto/login.dto';
import { LogoutDto } from './dto/logout.dto';
import { MfaRequiredResponseDto } from './dto/mfa-required-response.dto';
import { RefreshGrantDto } from './dto/refresh-grant.dto';
import { RefreshTokenDto } from './dto/refresh-token.dto';
import { RegisterDto } from './dto/register.dto';
import { TokenResponseDto } from './dto/token-response.dto';
import { LocalAuthGuard } from './guards/local-auth.guard';
import { INVALID_CREDENTIALS } from './invalid-credentials';
import { loginCodeOf, parseTokenRequest } from './login-body';
import { OAuthErrorException } from './oauth-error.exception';
import type { AuthenticatedRequest } from './types/authenticated-request.type';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly authService: AuthService,
    private readonly cookies: AuthCookies,
  ) {}

  @Public()
  @AuthRateLimit()
  @Post('register')
  @ApiOperation({ summary: 'Create an account' })
  @ApiCreatedResponse({ type: UserResponseDto })
  @ApiBadRequestResponse({ description: 'Invalid or unknown fields, or a weak password' })
  @ApiConflictResponse({ description: 'Email or username already taken' })
  register(@Body() dto: RegisterDto, @Req() request: FastifyRequest): Promise<UserResponseDto> {
    return this.authService.register(dto, clientInfoOf(request));
  }

  @Public()
  @TokenEndpoint()
  @UseGuards(LocalAuthGuard)
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @IssuesTokens()
  @ApiOperation({
    summary: 'The OAuth2 token endpoint: sign in (password grant) or refresh, as the form or JSON',
    description:
      '`grant_type=password` (the default) with `username` (the email or the username) and ' +
      '`password`, or `grant_type=refresh_token` with `refresh_token`. Errors carry the ' +
      "RFC 6749 `error` code and `error_description`. Swagger UI's Authorize button uses this route.",
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiExtraModels(LoginDto, RefreshGrantDto)
  @ApiBody({
    schema: {
      oneOf: [{ $ref: getSchemaPath(LoginDto) }, { $ref: getSchemaPath(RefreshGrantDto) }],
    },
  })
  @ApiBadRequestResponse({
    description:
      'Malformed body (`invalid_request`) or another grant type (`unsupported_grant_type`)',
  })
  @ApiUnauthorizedResponse({
    description: `${INVALID_CREDENTIALS}, an incorrect \`code\`, or not a live refresh token (\`invalid_grant\`)`,
  })
  @ApiForbiddenResponse({
    type: MfaRequiredResponseDto,
    description:
      'Correct password, but the account is disabled (`invalid_grant`); or it has a second factor ' +
      'and no `code` was sent: `error` is `mfa_required`, and the `mfa_token` goes to POST /auth/login/mfa',
  })
  @ApiTooManyRequestsResponse({
    description: 'Too many failed logins or refreshes; see Retry-After',
  })
  login(@Req() request: FastifyRequest): Promise<TokenResponseDto> {
    const grant = parseTokenRequest(request.body);
    if (grant.type === 'refresh_token') {
      return this.authService.refresh(grant.refreshToken, clientInfoOf(request));
    }
    return this.authService.login(
      userCheckedByGuard(request),
      clientInfoOf(request),
      loginCodeOf(request.body),
    );
  }

  @Public()
  @TokenEndpoint()
  @Post('login/mfa')
  @HttpCode(HttpStatus.OK)
  @IssuesTokens()
  @ApiOperation({
    summary: 'Second step of a login: the mfa_token and a code',
    description:
      'For an account with a second factor, after POST /auth/login answered 403 `mfa_required`. ' +
      '`code` is the 6-digit TOTP code or a recovery code. The `mfa_token` lives 5 minutes, is ' +
      'spent by its first success and dies after 5 wrong codes. Errors carry the RFC 6749 ' +
      '`error` code. In Swagger UI, paste the `access_token` answered here into Authorize > bearer.',
  })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiBody({ type: LoginMfaDto })
  @ApiBadRequestResponse({
    description: '`mfa_token` or `code` missing or not a string (`invalid_request`)',
  })
  @ApiUnauthorizedResponse({
    description: 'Unknown, expired or spent `mfa_token`, or an incorrect code (`invalid_grant`)',
  })
  @ApiTooManyRequestsResponse({ description: 'Too many failed logins; see Retry-After' })
  loginWithMfa(
    @Body() dto: LoginMfaDto,
    @Req() request: FastifyRequest,
  ): Promise<TokenResponseDto> {
    return this.authService.loginWithMfaToken(dto.mfa_token, dto.code, clientInfoOf(request));
  }

  @Public()
  @TokenEndpoint()
  @AuthRateLimit()
  @UseGuards(RefreshCookieGuard)
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @IssuesTokens()
  @ApiOperation({
    summary: 'Exchange a refresh token for a new token pair',
    description:
      'The presented refresh token is spent: use the new one next time. Presenting a spent ' +
      'token again ends its whole session (reuse detection), so send one refresh at a time. ' +
      'With no body, the `refresh_token` cookie is used (and `X-CSRF-Token` is required).',
  })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiBody({ type: RefreshTokenDto, required: false })
  @ApiBadRequestResponse({
    description:
      '`refresh_token` missing or not a string (`invalid_request`), or a `grant_type` other ' +
      'than refresh_token (`unsupported_grant_type`)',
  })
  @ApiUnauthorizedResponse({
    description:
      'Not a live refresh token: unknown, expired, revoked or already spent, or the account ' +
      'is disabled (`invalid_grant`)',
  })
  refresh(@Body() dto: RefreshTokenDto, @Req() request: FastifyRequest): Promise<TokenResponseDto> {
    if (dto.grant_type !== undefined && dto.grant_type !== 'refresh_token') {
      throw new OAuthErrorException(
        HttpStatus.BAD_REQUEST,
        'unsupported_grant_type',
        'grant_type must be refresh_token',
      );
    }
    return this.authService.refresh(dto.refresh_token, clientInfoOf(request));
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'End the current session',
    description:
      "The access token's session is over: its access and refresh tokens are refused from the " +
      "next request. `refresh_token`, when given and belonging to another of the caller's " +
      'sessions, ends that session too; any other token is ignored. The auth cookies are cleared.',
  })
  @ApiBody({ type: LogoutDto, required: false })
  @ApiNoContentResponse({ description: 'The session is over' })
  @ApiBadRequestResponse({ description: '`refresh_token` not a string, or unknown fields' })
  async logout(
    @CurrentUser('id') userId: string,
    @CurrentSessionId() sessionId: string,
    @Body() dto: LogoutDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.authService.logout(userId, sessionId, dto.refresh_token, clientInfoOf(request));
    this.cookies.clear(reply);
  }
}

/** The user the local strategy attached for the password grant. */
function userCheckedByGuard(request: FastifyRequest): User {
  const { user } = request as Partial<AuthenticatedRequest>;
  if (!user) {
    throw new Error('LocalAuthGuard did not run on the password grant');
  }
  return user;
}
