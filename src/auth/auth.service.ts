import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import type { ClientInfo } from '../common/client-info';
import { MetricsService } from '../metrics/metrics.service';
import { MfaLoginService } from '../mfa/mfa-login.service';
import { MfaRequiredException } from '../mfa/mfa-required.exception';
import { LoginAttemptsService, loginAccountKey } from '../rate-limit/login-attempts.service';
import { SessionsService } from '../sessions/sessions.service';
import { UserResponseDto } from '../users/dto/user-response.dto';
import { PasswordHasher } from '../users/password-hasher.service';
import type { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import type { RegisterDto } from './dto/register.dto';
import type { TokenResponseDto } from './dto/token-response.dto';
import { INVALID_CREDENTIALS } from './invalid-credentials';
import { TokenService } from './token.service';

const INVALID_REFRESH_TOKEN = 'Invalid or expired refresh token';
export const INVALID_MFA_CODE = 'Incorrect or already used code';
export const INVALID_MFA_TOKEN = 'Invalid or expired mfa_token, or an incorrect code';

/** RFC 8176 authentication method references, for the `amr` claim. */
const PASSWORD_ONLY = ['pwd'] as const;
const PASSWORD_AND_OTP = ['pwd', 'otp'] as const;

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly tokens: TokenService,
    private readonly loginAttempts: LoginAttemptsService,
    private readonly metrics: MetricsService,
    private readonly mfaLogin: MfaLoginService,
  ) {}

  async register(dto: RegisterDto): Promise<UserResponseDto> {
    const user = await this.users.create({
      email: dto.email,
      username: dto.username,
      fullName: dto.fullName,
      passwordHash: await this.passwords.hash(dto.password),
    });
    return UserResponseDto.from(user);
  }

  /**
   * The limits come first: past them the attempt is refused (429) before any bcrypt work. The
   * password is checked before the account state, so a disabled account answers 403 only to
   * someone who knows its password.
   */
  async validateCredentials(login: string, password: string, client: ClientInfo): Promise<User> {
    const user = await this.users.findByEmailOrUsername(login);
    const account = loginAccountKey(user?.id, login);
    await this.loginAttempts.admit(account, client.ip);
    if (!user) {
      await this.passwords.verifyAgainstNothing(password);
      this.metrics.recordLogin('invalid_credentials');
      throw new UnauthorizedException(INVALID_CREDENTIALS);
    }
    if (!(await this.passwords.verify(password, user.passwordHash))) {
      this.metrics.recordLogin('invalid_credentials');
      throw new UnauthorizedException(INVALID_CREDENTIALS);
    }
    if (user.mfaEnabled) {
      // Not a login yet: the account keeps its failures until the second factor succeeds.
      await this.loginAttempts.refund(account, client.ip);
    } else {
      await this.loginAttempts.succeeded(account, client.ip);
    }
    if (!user.isActive) {
      this.metrics.recordLogin('disabled');
      throw new ForbiddenException('This account is disabled');
    }
    if (this.passwords.needsRehash(user.passwordHash)) {
      await this.users.updatePasswordHash(user.id, await this.passwords.hash(password));
    }
    return user;
  }

  /**
   * After the password (LocalStrategy). A user with a second factor needs a code: sent with the
   * password (`code`) it completes the login at once; without one the answer is 403
   * `mfa_required` with an `mfa_token` for {@link loginWithMfaToken}. A `code` sent for an
   * account without a factor is ignored.
   */
  async login(user: User, client: ClientInfo, code?: string): Promise<TokenResponseDto> {
    if (!user.mfaEnabled) {
      return this.openSession(user, client, PASSWORD_ONLY);
    }
    if (code === undefined) {
      this.metrics.recordLogin('mfa_required');
      throw new MfaRequiredException(await this.mfaLogin.startChallenge(user.id));
    }
    if (!(await this.mfaLogin.verifyLoginCode(user, code, client.ip))) {
      this.metrics.recordLogin('invalid_mfa_code');
      throw new UnauthorizedException(INVALID_MFA_CODE);
    }
    return this.openSession(user, client, PASSWORD_AND_OTP);
  }

  /** The second step: one 401 for every failure, so the answer reveals nothing. */
  async loginWithMfaToken(
    mfaToken: string,
    code: string,
    client: ClientInfo,
  ): Promise<TokenResponseDto> {
    const user = await this.mfaLogin.completeChallenge(mfaToken, code, client.ip);
    if (!user) {
      this.metrics.recordLogin('invalid_mfa_code');
      throw new UnauthorizedException(INVALID_MFA_TOKEN);
    }
    return this.openSession(user, client, PASSWORD_AND_OTP);
  }

  private async openSession(
    user: User,
    client: ClientInfo,
    amr: readonly string[],
  ): Promise<TokenResponseDto> {
    const { session, refreshToken } = await this.sessions.open(user.id, client, amr);
    this.metrics.recordLogin('success');
    return this.tokens.issue(user, session, refreshToken);
  }

  /**
   * Spends the refresh token and issues the next pair of the same session. Every failure is one
   * 401, whatever the cause (unknown, expired, revoked, spent, user disabled), so the answer
   * reveals nothing; presenting a spent token has also ended its session by then.
   */
  async refresh(refreshToken: string): Promise<TokenResponseDto> {
    const result = await this.sessions.rotate(refreshToken);
    if (result.outcome === 'reused') {
      this.metrics.recordRefreshReuse();
    }
    if (result.outcome !== 'rotated') {
      throw new UnauthorizedException(INVALID_REFRESH_TOKEN);
    }
    return this.tokens.issue(result.user, result.session, result.refreshToken);
  }

  /**
   * Ends the caller's current session and, when the client also sends a refresh token of another
   * of its own sessions, that one too (see SessionsService.revokeOwnedByRefreshToken).
   */
  async logout(userId: string, sessionId: string, refreshToken?: string): Promise<void> {
    await this.sessions.revoke(sessionId);
    if (refreshToken !== undefined) {
      await this.sessions.revokeOwnedByRefreshToken(userId, refreshToken);
    }
  }
}
