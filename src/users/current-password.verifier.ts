import { ForbiddenException, Injectable } from '@nestjs/common';
import type { ClientInfo } from '../common/client-info';
import { LoginAttemptsService, userAccountKey } from '../rate-limit/login-attempts.service';
import { PasswordHasher } from './password-hasher.service';
import type { User } from './user.entity';

export const WRONG_CURRENT_PASSWORD = 'The current password is incorrect';

/**
 * The check of a signed-in user's current password, for every route that takes one (password
 * change, email change, second-factor routes). It is a password check like a login's, so it is
 * limited like one: a stolen access token must not become an unlimited password oracle.
 *
 * Call it after the rest of the body has passed validation, so that the answer to an invalid
 * body (400) does not depend on whether the password was right.
 *
 * @example
 * ```ts
 * // 429 past the account's or the address's login limit, 403 when wrong
 * await this.currentPassword.verify(user, dto.currentPassword, client);
 * ```
 */
@Injectable()
export class CurrentPasswordVerifier {
  constructor(
    private readonly passwords: PasswordHasher,
    private readonly loginAttempts: LoginAttemptsService,
  ) {}

  /**
   * Resolves when `password` is the user's; throws a 429 (with Retry-After) when the account or
   * the address is past the failed-login limit, checking nothing, and a 403 when it is wrong, which
   * counts as a failed login of the account and of the address. A right password gives its
   * attempt back but clears no earlier failure: whoever holds a session and the password must not
   * be able to wipe the count of wrong second-factor codes (src/mfa does the same). `user` is the
   * row as just loaded.
   */
  async verify(
    user: Pick<User, 'id' | 'passwordHash'>,
    password: string,
    client: ClientInfo,
  ): Promise<void> {
    const account = userAccountKey(user.id);
    await this.loginAttempts.admit(account, client.ip);
    if (!(await this.passwords.verify(password, user.passwordHash))) {
      throw new ForbiddenException(WRONG_CURRENT_PASSWORD);
    }
    await this.loginAttempts.refund(account, client.ip);
  }
}
