import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { IsNull, type EntityManager, type Repository } from 'typeorm';
import { MfaClock } from './mfa-clock';
import {
  generateRecoveryCode,
  hashRecoveryCode,
  normaliseRecoveryCode,
  RECOVERY_CODE_COUNT,
} from './recovery-code';
import { RecoveryCode } from './recovery-code.entity';

/** The only reader and writer of `mfa_recovery_codes`. */
@Injectable()
export class RecoveryCodesService {
  constructor(
    @InjectRepository(RecoveryCode) private readonly codes: Repository<RecoveryCode>,
    private readonly clock: MfaClock,
  ) {}

  /** Ten new codes for the user, every earlier one gone; the clear text exists only in the answer. */
  async replace(userId: string, manager: EntityManager): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
    const createdAt = this.clock.now();
    await manager.delete(RecoveryCode, { userId });
    await manager.insert(
      RecoveryCode,
      codes.map((code) => ({
        id: randomUUID(),
        userId,
        codeHash: hashRecoveryCode(normaliseRecoveryCode(code) ?? code),
        createdAt,
        usedAt: null,
      })),
    );
    return codes;
  }

  /** The id of the user's unused code matching `input`, or null. Reads only: see {@link use}. */
  async findUnused(userId: string, input: string): Promise<string | null> {
    const normalised = normaliseRecoveryCode(input);
    if (normalised === null) {
      return null;
    }
    const code = await this.codes.findOne({
      select: { id: true },
      where: { userId, codeHash: hashRecoveryCode(normalised), usedAt: IsNull() },
    });
    return code?.id ?? null;
  }

  /**
   * Spends the code in one conditional UPDATE (`... WHERE usedAt IS NULL`): of any number of
   * concurrent uses, exactly one changes the row and gets true.
   */
  async use(id: string, manager?: EntityManager): Promise<boolean> {
    const result = await (manager ?? this.codes.manager).update(
      RecoveryCode,
      { id, usedAt: IsNull() },
      { usedAt: this.clock.now() },
    );
    return result.affected === 1;
  }

  async removeAll(userId: string, manager: EntityManager): Promise<void> {
    await manager.delete(RecoveryCode, { userId });
  }
}
