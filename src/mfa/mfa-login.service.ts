import { Injectable } from '@nestjs/common';
import { LoginAttemptsService, loginAccountKey } from '../rate-limit/login-attempts.service';
import type { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { MfaChallengesService, type IssuedChallenge } from './mfa-challenges.service';
import { SecondFactorService } from './second-factor.service';

/** How the second step went: the user, or which failure (for the security event). */
export type ChallengeOutcome =
  | { outcome: 'passed'; user: User }
  | { outcome: 'dead_token' }
  | { outcome: 'wrong_code'; userId: string };

/**
 * The second step of a login, for the auth module. Each code tried counts as a login attempt of
 * the account (LOGIN_MAX_ATTEMPTS): a wrong one is a failed login, a right one the success that
 * clears the count. The right password alone never clears it (AuthService), so signing in again
 * does not buy more guesses.
 */
@Injectable()
export class MfaLoginService {
  constructor(
    private readonly challenges: MfaChallengesService,
    private readonly secondFactor: SecondFactorService,
    private readonly loginAttempts: LoginAttemptsService,
    private readonly users: UsersService,
  ) {}

  /** An `mfa_token` for a user whose password was right. */
  startChallenge(userId: string): Promise<IssuedChallenge> {
    return this.challenges.issue(userId);
  }

  /** A code sent with the password itself. False when wrong; 429 past the login limit. */
  async verifyLoginCode(user: User, code: string, address: string): Promise<boolean> {
    const account = loginAccountKey(user.id, user.username);
    await this.loginAttempts.admit(account, address);
    if (!(await this.secondFactor.verify(user.id, code, { recovery: true }))) {
      return false;
    }
    await this.loginAttempts.succeeded(account, address);
    return true;
  }

  /**
   * `POST /auth/login/mfa`: the user the token was issued to, when the token is live and the
   * code theirs; a failure otherwise. A dead or unknown token ends it before any code is looked
   * at. The code is checked against the token's user only, whoever else it might belong to.
   */
  async completeChallenge(
    mfaToken: string,
    code: string,
    address: string,
  ): Promise<ChallengeOutcome> {
    const challenge = await this.challenges.reserveAttempt(mfaToken);
    if (!challenge) {
      return { outcome: 'dead_token' };
    }
    const user = await this.users.findById(challenge.userId);
    if (!user?.isActive || !user.mfaEnabled) {
      return { outcome: 'dead_token' };
    }
    const account = loginAccountKey(user.id, user.username);
    await this.loginAttempts.admit(account, address);
    const valid = await this.secondFactor.check(user.id, code, { recovery: true });
    // The token is spent before the code, so that a token never yields two sessions; a code
    // spent meanwhile by a concurrent request leaves this one a failed attempt.
    if (
      valid === null ||
      !(await this.challenges.spend(challenge.id)) ||
      !(await this.secondFactor.spend(user.id, valid))
    ) {
      return { outcome: 'wrong_code', userId: user.id };
    }
    await this.loginAttempts.succeeded(account, address);
    return { outcome: 'passed', user };
  }
}
