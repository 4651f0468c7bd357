import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { IsNull, LessThan, MoreThan, type Repository } from 'typeorm';
import { MfaClock } from './mfa-clock';
import { MfaChallenge } from './mfa-challenge.entity';

/** How long an `mfa_token` lives. */
export const MFA_TOKEN_TTL_SECONDS = 5 * 60;
/** Wrong codes an `mfa_token` survives; the next attempt finds it dead. */
export const MFA_TOKEN_MAX_WRONG_CODES = 5;
/** Dead challenges are deleted this long after they expired, at most once a minute. */
const PURGE_GRACE_MS = 60 * 60_000;
const PURGE_INTERVAL_MS = 60_000;

export interface IssuedChallenge {
  mfaToken: string;
  expiresInSeconds: number;
}

const hashToken = (token: string): string =>
  createHash('sha256').update(token, 'utf8').digest('hex');

/** The only reader and writer of `mfa_challenges`. */
@Injectable()
export class MfaChallengesService {
  private readonly logger = new Logger(MfaChallengesService.name);
  private nextPurgeAt = 0;

  constructor(
    @InjectRepository(MfaChallenge) private readonly challenges: Repository<MfaChallenge>,
    private readonly clock: MfaClock,
  ) {}

  /** A new `mfa_token` (256 random bits) bound to the user; only its hash is stored. */
  async issue(userId: string): Promise<IssuedChallenge> {
    const now = this.clock.now();
    const mfaToken = randomBytes(32).toString('base64url');
    await this.challenges.insert({
      id: randomUUID(),
      userId,
      tokenHash: hashToken(mfaToken),
      expiresAt: new Date(now.getTime() + MFA_TOKEN_TTL_SECONDS * 1000),
      failedAttempts: 0,
      spentAt: null,
    });
    await this.purgeIfDue(now);
    return { mfaToken, expiresInSeconds: MFA_TOKEN_TTL_SECONDS };
  }

  /**
   * Reserves one code attempt on a live token (unspent, unexpired, fewer than the allowed
   * wrong codes) in one conditional UPDATE, so concurrent guesses cannot exceed the allowance.
   * Returns the challenge, or null for a dead or unknown token: its code is then never checked.
   */
  async reserveAttempt(mfaToken: string): Promise<MfaChallenge | null> {
    const tokenHash = hashToken(mfaToken);
    const result = await this.challenges.update(
      {
        tokenHash,
        spentAt: IsNull(),
        expiresAt: MoreThan(this.clock.now()),
        failedAttempts: LessThan(MFA_TOKEN_MAX_WRONG_CODES),
      },
      { failedAttempts: () => '"failedAttempts" + 1' },
    );
    if (result.affected !== 1) {
      return null;
    }
    return this.challenges.findOneBy({ tokenHash });
  }

  /** The right code: the token is spent (first success only) and the attempt given back. */
  async spend(challengeId: string): Promise<boolean> {
    const result = await this.challenges.update(
      { id: challengeId, spentAt: IsNull() },
      { spentAt: this.clock.now(), failedAttempts: () => '"failedAttempts" - 1' },
    );
    return result.affected === 1;
  }

  private async purgeIfDue(now: Date): Promise<void> {
    if (now.getTime() < this.nextPurgeAt) {
      return;
    }
    this.nextPurgeAt = now.getTime() + PURGE_INTERVAL_MS;
    try {
      await this.challenges.delete({
        expiresAt: LessThan(new Date(now.getTime() - PURGE_GRACE_MS)),
      });
    } catch (error) {
      this.logger.warn(`Purging dead MFA challenges failed: ${String(error)}`);
    }
  }
}
