import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecretCipher } from '../encryption/secret-cipher';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { MfaChallenge } from './mfa-challenge.entity';
import { MfaChallengesService } from './mfa-challenges.service';
import { MfaClock } from './mfa-clock';
import { MfaLoginService } from './mfa-login.service';
import { MfaSettingsService } from './mfa-settings.service';
import { MfaController } from './mfa.controller';
import { RecoveryCode } from './recovery-code.entity';
import { RecoveryCodesService } from './recovery-codes.service';
import { SecondFactorService } from './second-factor.service';
import { TotpFactor } from './totp-factor.entity';
import { TotpService } from './totp.service';

/**
 * The second factor (TOTP with recovery codes). Owns its three tables; the switch itself,
 * `users.mfaEnabled`, is the users module's, set through UsersService. The auth module runs the
 * login's second step through {@link MfaLoginService}.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([TotpFactor, RecoveryCode, MfaChallenge]),
    UsersModule,
    SessionsModule,
    RateLimitModule,
  ],
  controllers: [MfaController],
  providers: [
    MfaClock,
    SecretCipher,
    TotpService,
    RecoveryCodesService,
    MfaChallengesService,
    SecondFactorService,
    MfaSettingsService,
    MfaLoginService,
  ],
  exports: [MfaLoginService],
})
export class MfaModule {}
