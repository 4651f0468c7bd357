import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppConfig } from '../config/app-config';
import { normalizeIdentity } from '../users/identity-normalization';
import { addressBucket } from './address-bucket';
import { consumeOrRefuse, RateLimiterFactory } from './rate-limiter.factory';

const TOO_MANY_LOGINS = 'Too many failed login attempts; try again later';

/**
 * Failed logins per account and per client address (LOGIN_MAX_ATTEMPTS in LOGIN_WINDOW); an
 * IPv6 client is counted by its /64 (see addressBucket).
 *
 * An attempt reserves a failure on both counters before the password is checked, atomically in
 * the store, so concurrent guesses cannot slip past the limit together; a success gives the
 * reservation back. Past the limit the attempt is refused before any bcrypt work.
 */
@Injectable()
export class LoginAttemptsService {
  private readonly perAccount: RateLimiterAbstract;
  private readonly perAddress: RateLimiterAbstract;

  constructor(config: AppConfig, limiters: RateLimiterFactory) {
    const window = { points: config.loginMaxAttempts, windowSeconds: config.loginWindowSeconds };
    this.perAccount = limiters.create({ name: 'login-fail-account', ...window });
    this.perAddress = limiters.create({ name: 'login-fail-address', ...window });
  }

  /**
   * Counts the attempt as a failure until {@link succeeded} says otherwise; throws a 429 when the
   * account or the address is already at the limit (a refused attempt is not counted twice).
   */
  async admit(account: string, clientAddress: string): Promise<void> {
    const address = addressBucket(clientAddress);
    await consumeOrRefuse(this.perAddress, address, TOO_MANY_LOGINS);
    try {
      await consumeOrRefuse(this.perAccount, account, TOO_MANY_LOGINS);
    } catch (error) {
      await this.perAddress.reward(address, 1);
      throw error;
    }
  }

  /** Clears the account's failed logins (a password reset: whoever guessed is now locked out). */
  async clearAccount(userId: string): Promise<void> {
    await this.perAccount.delete(userAccountKey(userId));
  }

  /**
   * The attempt was neither a failure nor a full login (a right password with a second factor
   * still due, a right current password on a settings route): both points go back, and the
   * account keeps the failures it had. Only {@link succeeded} clears them, so that signing in
   * again with the password cannot reset the count of wrong codes.
   */
  async refund(account: string, address: string): Promise<void> {
    await Promise.all([this.perAccount.reward(account, 1), this.perAddress.reward(address, 1)]);
  }

  /** The password was right: the account starts afresh, and the address gets its point back. */
  async succeeded(account: string, clientAddress: string): Promise<void> {
    await Promise.all([
      this.perAccount.delete(account),
      this.perAddress.reward(addressBucket(clientAddress), 1),
    ]);
  }
}

/**
 * The account counter's key. An existing account is counted by its id, so guesses against its
 * email and its username add up; an unknown login by a digest of its folded text (as lookups
 * fold it, so every spelling of one login counts together; bounded length, whatever was sent).
 */
export function loginAccountKey(userId: string | undefined, login: string): string {
  if (userId !== undefined) {
    return userAccountKey(userId);
  }
  return `login:${createHash('sha256').update(normalizeIdentity(login)).digest('base64url')}`;
}

/** The account counter's key of an existing account (see {@link loginAccountKey}). */
export function userAccountKey(userId: string): string {
  return `user:${userId}`;
}
