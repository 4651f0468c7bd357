import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Injectable,
} from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ClientInfo } from '../common/client-info';
import { AppConfig } from '../config/app-config';
import { inTransaction } from '../database/in-transaction';
import { LoginAttemptsService, loginAccountKey } from '../rate-limit/login-attempts.service';
import { SecurityEventsService } from '../security-events/security-events.service';
import { SessionsService } from '../sessions/sessions.service';
import { PasswordHasher } from '../users/password-hasher.service';
import type { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { RecoveryCodesService } from './recovery-codes.service';
import { SecondFactorService, type CodeOptions } from './second-factor.service';
import { totpUri } from './totp';
import { TotpService } from './totp.service';

export const WRONG_CODE = 'The code is wrong or was already used';
export const NO_PENDING_SETUP = 'The code is wrong, or there is no pending setup to confirm';
export const WRONG_CURRENT_PASSWORD = 'The current password is incorrect';
export const MFA_ALREADY_ON = 'The second factor is already on';

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
}

/** Who is asking: the account, its session and the client (the counters, the events). */
export interface Caller {
  userId: string;
  sessionId: string;
  client: ClientInfo;
}

/**
 * A signed-in user's own second factor: set up, confirm, new recovery codes, turn off.
 *
 * Every request counts as a login attempt of the account (LOGIN_MAX_ATTEMPTS): past the limit it
 * gets 429 before any check, a wrong code (400) or a wrong current password (403) is a failed
 * login, and a success gives the attempt back without clearing earlier failures.
 */
@Injectable()
export class MfaSettingsService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly loginAttempts: LoginAttemptsService,
    private readonly totp: TotpService,
    private readonly recoveryCodes: RecoveryCodesService,
    private readonly secondFactor: SecondFactorService,
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly events: SecurityEventsService,
  ) {}

  /** A new pending seed (replacing any earlier pending one); 409 when the factor is on. */
  async setup(caller: Caller, currentPassword: string): Promise<TotpSetup> {
    const user = await this.users.getById(caller.userId);
    // A state conflict, not a guess: answered before the attempt is counted.
    if (user.mfaEnabled) {
      throw new ConflictException(MFA_ALREADY_ON);
    }
    return this.asLoginAttempt(user, caller, async () => {
      await this.requirePassword(user, currentPassword);
      const secret = await this.totp.startEnrolment(user.id);
      return { secret, otpauthUrl: totpUri(secret, this.config.jwt.issuer, user.email) };
    });
  }

  /**
   * The first code turns the pending seed into the factor: `mfaEnabled` becomes true, ten
   * recovery codes are made, and every session but the caller's ends (whoever signed in with
   * the password alone must now show the factor too).
   */
  async confirm(caller: Caller, code: string): Promise<string[]> {
    const user = await this.users.getById(caller.userId);
    return this.asLoginAttempt(user, caller, async () => {
      const step = user.mfaEnabled ? null : await this.totp.stepOf(user.id, code, 'pending');
      if (step === null) {
        this.recordWrongCode(caller, 'confirm');
        throw new BadRequestException(NO_PENDING_SETUP);
      }
      // The conditional confirm decides a race between two confirmations; the switch is
      // thrown last, so an interrupted request leaves the factor off.
      const codes = await this.atomically(async (manager) => {
        if (!(await this.totp.confirm(user.id, step, manager))) {
          return null;
        }
        const fresh = await this.recoveryCodes.replace(user.id, manager);
        await this.users.setMfaEnabled(user.id, true, manager);
        await this.record(manager, caller, 'mfa.enabled');
        return fresh;
      });
      if (codes === null) {
        this.recordWrongCode(caller, 'confirm');
        throw new BadRequestException(NO_PENDING_SETUP);
      }
      await this.sessions.revokeAllExcept(user.id, caller.sessionId);
      return codes;
    });
  }

  /**
   * Ten new recovery codes, the old ones dead; needs the password and a TOTP code (a recovery
   * code is for a lost device: it turns the factor off, see {@link disable}).
   */
  async regenerateRecoveryCodes(
    caller: Caller,
    currentPassword: string,
    code: string,
  ): Promise<string[]> {
    const user = await this.users.getById(caller.userId);
    return this.asLoginAttempt(user, caller, async () => {
      await this.requireCodeThenPassword(caller, user, code, currentPassword, {
        recovery: false,
      });
      return this.atomically(async (manager) => {
        const codes = await this.recoveryCodes.replace(user.id, manager);
        await this.record(manager, caller, 'mfa.recovery_codes_regenerated');
        return codes;
      });
    });
  }

  /** Turns the factor off; needs the password and a TOTP or recovery code. */
  async disable(caller: Caller, currentPassword: string, code: string): Promise<void> {
    const user = await this.users.getById(caller.userId);
    return this.asLoginAttempt(user, caller, async () => {
      await this.requireCodeThenPassword(caller, user, code, currentPassword, { recovery: true });
      // The switch first: an interrupted request leaves the factor off, its leftovers unused.
      await this.atomically(async (manager) => {
        await this.users.setMfaEnabled(user.id, false, manager);
        await this.totp.remove(user.id, manager);
        await this.recoveryCodes.removeAll(user.id, manager);
        await this.record(manager, caller, 'mfa.disabled');
      });
    });
  }

  /**
   * The contract's order for routes with `currentPassword`: a wrong code is a 400 whatever the
   * password, then a wrong password a 403. The code is spent only after both, so a mistyped
   * password costs no recovery code; spending is atomic, so a concurrent use makes this a 400.
   */
  private async requireCodeThenPassword(
    caller: Caller,
    user: User,
    code: string,
    currentPassword: string,
    options: CodeOptions,
  ): Promise<void> {
    const step = options.recovery ? 'disable' : 'recovery_codes';
    const valid = user.mfaEnabled ? await this.secondFactor.check(user.id, code, options) : null;
    if (valid === null) {
      this.recordWrongCode(caller, step);
      throw new BadRequestException(WRONG_CODE);
    }
    await this.requirePassword(user, currentPassword);
    if (!(await this.secondFactor.spend(user.id, valid))) {
      this.recordWrongCode(caller, step);
      throw new BadRequestException(WRONG_CODE);
    }
  }

  private async record(
    manager: EntityManager,
    caller: Caller,
    type: 'mfa.enabled' | 'mfa.disabled' | 'mfa.recovery_codes_regenerated',
  ): Promise<void> {
    await this.events.record(manager, {
      type,
      userId: caller.userId,
      actorId: caller.userId,
      sessionId: caller.sessionId,
      client: caller.client,
    });
  }

  /** A wrong code counts as a failed login; recorded without holding up the 400. */
  private recordWrongCode(caller: Caller, step: string): void {
    this.events.recordInBackground({
      type: 'mfa.failed',
      userId: caller.userId,
      actorId: caller.userId,
      sessionId: caller.sessionId,
      client: caller.client,
      details: { reason: 'wrong_code', step },
    });
  }

  private async requirePassword(user: User, currentPassword: string): Promise<void> {
    if (!(await this.passwords.verify(currentPassword, user.passwordHash))) {
      throw new ForbiddenException(WRONG_CURRENT_PASSWORD);
    }
  }

  /**
   * Runs `work` as one attempt on the account's failed-login count: 429 before anything when at
   * the limit; any refusal leaves the attempt counted; a success gives it back. The user is
   * reloaded by each caller rather than taken from the request: the hash must be the stored one.
   */
  private async asLoginAttempt<T>(user: User, caller: Caller, work: () => Promise<T>): Promise<T> {
    const account = loginAccountKey(user.id, user.username);
    const address = caller.client.ip;
    await this.loginAttempts.admit(account, address);
    const result = await work();
    await this.loginAttempts.refund(account, address);
    return result;
  }

  /**
   * One transaction: the change and its security event commit together. On SQLite these
   * transactions are queued (inTransaction) and their steps stay ordered so that an
   * interruption leaves a safe state.
   */
  private atomically<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, work);
  }
}
