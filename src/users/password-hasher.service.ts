import { Injectable, type OnModuleInit } from '@nestjs/common';
import bcrypt from 'bcrypt';
import { AppConfig } from '../config/app-config';

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

  verify(password: string, hash: string): Promise<boolean> {
    return bcrypt.compare(password, hash);
  }

  /** Spends the time of one verification without a real hash. Always false. */
  async verifyAgainstNothing(password: string): Promise<false> {
    await bcrypt.compare(password, this.dummyHash);
    return false;
  }

  /** True when the hash was made at another cost than the configured one. */
  needsRehash(hash: string): boolean {
    return bcrypt.getRounds(hash) !== this.config.bcryptCost;
  }
}
