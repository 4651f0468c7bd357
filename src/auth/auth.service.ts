import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EmailVerificationService } from '../account/email-verification.service';
import type { ClientInfo } from '../common/client-info';
import { AppConfig } from '../config/app-config';
import { inTransaction } from '../database/in-transaction';
import { MetricsService } from '../metrics/metrics.service';
import { MfaLoginService } from '../mfa/mfa-login.service';
import { MfaRequiredException } from '../mfa/mfa-required.exception';
import { LoginAttemptsService, loginAccountKey } from '../rate-limit/login-attempts.service';
import { RateLimitedException } from '../rate-limit/rate-limited.exception';
import { SecurityEventsService } from '../security-events/security-events.service';
import { SessionsService } from '../sessions/sessions.service';
import { UserResponseDto } from '../users/dto/user-response.dto';
import { PasswordHasher } from '../users/password-hasher.service';
import type { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import type { RegisterDto } from './dto/register.dto';
import type { TokenResponseDto } from './dto/token-response.dto';
import { EmailNotVerifiedException } from './email-not-verified.exception';
import { INVALID_CREDENTIALS } from './invalid-credentials';
import { TokenService } from './token.service';

const INVALID_REFRESH_TOKEN = 'Invalid or expired refresh token';
const ACCOUNT_DISABLED = 'This account is disabled';
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
    private readonly events: SecurityEventsService,
    private readonly dataSource: DataSource,
    private readonly mfaLogin: MfaLoginService,
    private readonly config: AppConfig,
    private readonly verification: EmailVerificationService,
  ) {}

  /** The user, its verification mail and its `user.registered` event are written together. */
  async register(dto: RegisterDto, client: ClientInfo): Promise<UserResponseDto> {
    const passwordHash = await this.passwords.hash(dto.password);
    const user = await inTransaction(this.dataSource, async (manager) => {
      const created = await this.users.create(
        { email: dto.email, username: dto.username, fullName: dto.fullName, passwordHash },
        manager,
      );
      await this.verification.queueLink(manager, created);
      await this.events.record(manager, {
        type: 'user.registered',
        userId: created.id,
        actorId: created.id,
        client,
      });
      return created;
    });
    return UserResponseDto.from(user);
  }

  /**
   * The limits come first: past them the attempt is refused (429) before any bcrypt work. The
   * password is checked before the account state, so a disabled account answers 403 only to
   * someone who knows its password. Failures are recorded in the background: the refusal is
   * not held up by the write.
   */
  async validateCredentials(login: string, password: string, client: ClientInfo): Promise<User> {
    const user = await this.users.findByEmailOrUsername(login);
    const userId = user?.id ?? null;
    const account = loginAccountKey(user?.id, login);
    await this.withLockoutEvent(userId, client, () => this.loginAttempts.admit(account, client.ip));
    if (!user) {
      await this.passwords.verifyAgainstNothing(password);
      this.metrics.recordLogin('invalid_credentials');
      this.recordFailedLogin(null, 'unknown_user', client);
      throw new UnauthorizedException(INVALID_CREDENTIALS);
    }
    if (!(await this.passwords.verify(password, user.passwordHash))) {
      this.metrics.recordLogin('invalid_credentials');
      this.recordFailedLogin(user.id, 'wrong_password', client);
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
      this.recordFailedLogin(user.id, 'account_disabled', client);
      throw new ForbiddenException(ACCOUNT_DISABLED);
    }
    // After the password check, so only someone who knows the password learns this.
    if (this.config.accountFlows.requireVerifiedEmail && !user.emailVerified) {
      throw new EmailNotVerifiedException();
    }
    if (this.passwords.needsRehash(user.passwordHash)) {
      const rehashed = await this.passwords.hash(password);
      // Only over the hash just verified: a password changed meanwhile is kept, and this login
      // then fails when it opens its session (the hash it verified is no longer the user's).
      if (await this.users.replacePasswordHash(user.id, user.passwordHash, rehashed)) {
        user.passwordHash = rehashed;
      }
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
    const passed = await this.withLockoutEvent(user.id, client, () =>
      this.mfaLogin.verifyLoginCode(user, code, client.ip),
    );
    if (!passed) {
      this.metrics.recordLogin('invalid_mfa_code');
      this.recordFailedMfa(user.id, 'wrong_code', client);
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
    const result = await this.withLockoutEvent(null, client, () =>
      this.mfaLogin.completeChallenge(mfaToken, code, client.ip),
    );
    if (result.outcome !== 'passed') {
      this.metrics.recordLogin('invalid_mfa_code');
      this.recordFailedMfa(
        result.outcome === 'wrong_code' ? result.userId : null,
        result.outcome === 'wrong_code' ? 'wrong_code' : 'invalid_mfa_token',
        client,
      );
      throw new UnauthorizedException(INVALID_MFA_TOKEN);
    }
    return this.openSession(result.user, client, PASSWORD_AND_OTP);
  }

  /**
   * Opens the session of a login whose password (and code) were verified. Should the account have
   * changed since it was read (password changed, disabled, deleted), no session is opened and the
   * login fails as it would have a moment later: 403 when disabled, else 401.
   */
  private async openSession(
    user: User,
    client: ClientInfo,
    amr: readonly string[],
  ): Promise<TokenResponseDto> {
    const issued = await inTransaction(this.dataSource, async (manager) => {
      const opened = await this.sessions.open(
        { userId: user.id, passwordHash: user.passwordHash },
        client,
        amr,
        manager,
      );
      if (opened) {
        await this.events.record(manager, {
          type: 'login.succeeded',
          userId: user.id,
          actorId: user.id,
          sessionId: opened.session.id,
          client,
          details: { amr: [...amr] },
        });
      }
      return opened;
    });
    if (!issued) {
      const now = await this.users.findById(user.id);
      if (now && !now.isActive) {
        this.metrics.recordLogin('disabled');
        throw new ForbiddenException(ACCOUNT_DISABLED);
      }
      this.metrics.recordLogin('invalid_credentials');
      throw new UnauthorizedException(INVALID_CREDENTIALS);
    }
    this.metrics.recordLogin('success');
    return this.tokens.issue(user, issued.session, issued.refreshToken);
  }

  /**
   * Spends the refresh token and issues the next pair of the same session. Every failure is one
   * 401, whatever the cause (unknown, expired, revoked, spent, user disabled), so the answer
   * reveals nothing; presenting a spent token has also ended its session by then.
   */
  async refresh(refreshToken: string, client: ClientInfo): Promise<TokenResponseDto> {
    const result = await this.sessions.rotate(refreshToken, client);
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
   * of its own sessions, that one too (see SessionsService.revokeOwnedByRefreshToken). Each
   * session ended gets its `logout` event, in the same transaction.
   */
  async logout(
    userId: string,
    sessionId: string,
    refreshToken: string | undefined,
    client: ClientInfo,
  ): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      await this.sessions.revoke(sessionId, manager);
      const ended = [sessionId];
      if (refreshToken !== undefined) {
        const other = await this.sessions.revokeOwnedByRefreshToken(userId, refreshToken, manager);
        if (other !== null && other !== sessionId) {
          ended.push(other);
        }
      }
      for (const endedSessionId of ended) {
        await this.events.record(manager, {
          type: 'logout',
          userId,
          actorId: userId,
          sessionId: endedSessionId,
          client,
        });
      }
    });
  }

  /** Runs a step that may refuse with 429 (the login limit), recording `login.locked` if so. */
  private async withLockoutEvent<T>(
    userId: string | null,
    client: ClientInfo,
    step: () => Promise<T>,
  ): Promise<T> {
    try {
      return await step();
    } catch (error) {
      if (error instanceof RateLimitedException) {
        this.events.recordInBackground({ type: 'login.locked', userId, client });
      }
      throw error;
    }
  }

  private recordFailedMfa(userId: string | null, reason: string, client: ClientInfo): void {
    this.events.recordInBackground({ type: 'mfa.failed', userId, client, details: { reason } });
  }

  private recordFailedLogin(userId: string | null, reason: string, client: ClientInfo): void {
    this.events.recordInBackground({
      type: 'login.failed',
      userId,
      client,
      details: { reason },
    });
  }
}
