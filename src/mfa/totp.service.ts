import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThan, Not, Or, type EntityManager, type Repository } from 'typeorm';
import { SecretCipher } from '../encryption/secret-cipher';
import { MfaClock } from './mfa-clock';
import { generateTotpSecret, totpStepOf } from './totp';
import { TotpFactor } from './totp-factor.entity';

export type FactorState = 'pending' | 'confirmed';

/** The associated data of a seed's ciphertext: it decrypts only on its own user's row. */
const cipherContext = (userId: string): string => `mfa_totp_factors:${userId}`;

/** The only reader and writer of `mfa_totp_factors`. */
@Injectable()
export class TotpService {
  constructor(
    @InjectRepository(TotpFactor) private readonly factors: Repository<TotpFactor>,
    private readonly cipher: SecretCipher,
    private readonly clock: MfaClock,
  ) {}

  /** A new pending seed for the user, replacing any earlier one (pending or left over). */
  async startEnrolment(userId: string): Promise<string> {
    const secret = generateTotpSecret();
    await this.factors.upsert(
      {
        userId,
        encryptedSecret: this.cipher.encrypt(secret, cipherContext(userId)),
        createdAt: this.clock.now(),
        confirmedAt: null,
        lastUsedStep: null,
      },
      ['userId'],
    );
    return secret;
  }

  /**
   * The time step of `code` when it is valid now for the user's factor in `state` and newer
   * than the last step accepted; null otherwise. Reads only: {@link useStep} or
   * {@link confirm} spends the step once the rest of the request has been checked.
   */
  async stepOf(userId: string, code: string, state: FactorState): Promise<number | null> {
    const factor = await this.factors.findOneBy({
      userId,
      confirmedAt: state === 'pending' ? IsNull() : Not(IsNull()),
    });
    if (!factor) {
      return null;
    }
    const secret = this.cipher.decrypt(factor.encryptedSecret, cipherContext(userId));
    const step = totpStepOf(secret, code, this.clock.now().getTime());
    if (step === null || (factor.lastUsedStep !== null && step <= factor.lastUsedStep)) {
      return null;
    }
    return step;
  }

  /**
   * Records `step` as used, in one conditional UPDATE: of two requests with the same code, or
   * with an older one, only the first changes the row. False for the others (a replay).
   */
  async useStep(userId: string, step: number, manager?: EntityManager): Promise<boolean> {
    const result = await (manager ?? this.factors.manager).update(
      TotpFactor,
      { userId, confirmedAt: Not(IsNull()), lastUsedStep: Or(IsNull(), LessThan(step)) },
      { lastUsedStep: step },
    );
    return result.affected === 1;
  }

  /** Turns the pending seed into the factor; its first code's step counts as used. */
  async confirm(userId: string, step: number, manager: EntityManager): Promise<boolean> {
    const result = await manager.update(
      TotpFactor,
      { userId, confirmedAt: IsNull() },
      { confirmedAt: this.clock.now(), lastUsedStep: step },
    );
    return result.affected === 1;
  }

  async remove(userId: string, manager: EntityManager): Promise<void> {
    await manager.delete(TotpFactor, { userId });
  }
}
