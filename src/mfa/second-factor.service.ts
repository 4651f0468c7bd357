import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { RecoveryCodesService } from './recovery-codes.service';
import { isTotpCode } from './totp';
import { TotpService } from './totp.service';

/** A code found valid, not yet spent: what {@link SecondFactorService.spend} needs. */
export type ValidCode = { kind: 'totp'; step: number } | { kind: 'recovery'; id: string };

export interface CodeOptions {
  /** Whether a recovery code is accepted in place of a TOTP code. */
  recovery: boolean;
}

/**
 * Checks the code of a user whose factor is on, in two moves: `check` reads, `spend` commits.
 * Routes that also need the password check the code first (400 whatever the password), then the
 * password, and spend the code only once both are right: a mistyped password costs no code.
 */
@Injectable()
export class SecondFactorService {
  constructor(
    private readonly totp: TotpService,
    private readonly recoveryCodes: RecoveryCodesService,
  ) {}

  async check(userId: string, code: string, options: CodeOptions): Promise<ValidCode | null> {
    if (isTotpCode(code)) {
      const step = await this.totp.stepOf(userId, code, 'confirmed');
      return step === null ? null : { kind: 'totp', step };
    }
    if (!options.recovery) {
      return null;
    }
    const id = await this.recoveryCodes.findUnused(userId, code);
    return id === null ? null : { kind: 'recovery', id };
  }

  /** Atomic: false when a concurrent request spent the same code (or a later TOTP step) first. */
  spend(userId: string, code: ValidCode, manager?: EntityManager): Promise<boolean> {
    return code.kind === 'totp'
      ? this.totp.useStep(userId, code.step, manager)
      : this.recoveryCodes.use(code.id, manager);
  }

  /** Check and spend at once, for requests with nothing else to verify in between. */
  async verify(userId: string, code: string, options: CodeOptions): Promise<boolean> {
    const valid = await this.check(userId, code, options);
    return valid !== null && (await this.spend(userId, valid));
  }
}
