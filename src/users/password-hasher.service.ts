import { Injectable, type OnModuleInit } from '@nestjs/common';
import bcrypt from 'bcrypt';
import { AppConfig } from '../config/app-config';
import { PASSWORD_MAX_BYTES } from './validation/is-password.decorator';

/** What the padding hashes: any text will do, only the time it takes matters. */
const TIMING_PADDING = 'timing padding';

/**
 * bcrypt with the configured cost. The async functions run on libuv's thread pool, so hashing
 * never blocks the event loop.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private dummyHash = '';

  constructor(private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    // Compared against when the user does not exist, so an unknown account costs the same
    // bcrypt time as a wrong password and timing does not reveal which accounts exist.
    this.dummyHash = await bcrypt.hash(
      'dummy password for unknown accounts',
      this.config.bcryptCost,
    );
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.config.bcryptCost);
  }

  /**
   * True when `password` matches `hash`. Every call costs what one comparison at the configured
   * cost does (see {@link padToConfiguredCost}), and a password over 72 bytes never matches:
   * bcrypt reads only the first 72, so `<password><anything>` would otherwise pass. It is still
   * compared, so that it takes as long as any wrong password.
   */
  async verify(password: string, hash: string): Promise<boolean> {
    const matches = await bcrypt.compare(password, hash);
    await this.padToConfiguredCost(hash);
    return matches && Buffer.byteLength(password, 'utf8') <= PASSWORD_MAX_BYTES;
  }

  /** Spends the time of one verification without a real hash. Always false. */
  async verifyAgainstNothing(password: string): Promise<false> {
    await bcrypt.compare(password, this.dummyHash);
    return false;
  }

  /**
   * A hash made at a lower cost (before BCRYPT_COST was raised, until its owner's next login
   * upgrades it) compares 2^(configured - its cost) times faster, which would tell such accounts
   * apart from the others and from unknown ones. bcrypt's work doubles with each unit of cost,
   * so hashing once at each cost from the hash's up to one below the configured one adds exactly
   * the missing work: 2^c + 2^c + 2^(c+1) + ... + 2^(C-1) = 2^C. A hash at a higher cost (the
   * cost was lowered) is left alone: it is slower, and upgraded (down) at its next login.
   */
  private async padToConfiguredCost(hash: string): Promise<void> {
    for (let cost = costOf(hash); cost < this.config.bcryptCost; cost += 1) {
      await bcrypt.hash(TIMING_PADDING, cost);
    }
  }

  /** True when the hash was made at another cost than the configured one. */
  needsRehash(hash: string): boolean {
    return bcrypt.getRounds(hash) !== this.config.bcryptCost;
  }
}

/** The cost a bcrypt hash was made at; anything else (no real hash) counts as the highest. */
function costOf(hash: string): number {
  try {
    return bcrypt.getRounds(hash);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
