import { Module } from '@nestjs/common';
import { AccountTokensModule } from '../account-tokens/account-tokens.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { AccountMailsService } from './account-mails.service';
import { AfterResponse } from './after-response.service';
import { EmailChangeController } from './email-change.controller';
import { EmailChangeService } from './email-change.service';
import { EmailVerificationController } from './email-verification.controller';
import { EmailVerificationService } from './email-verification.service';
import { PasswordResetController } from './password-reset.controller';
import { PasswordResetService } from './password-reset.service';

/** The account flows by email: password reset, address verification, address change. */
@Module({
  imports: [UsersModule, SessionsModule, RateLimitModule, AccountTokensModule],
  controllers: [PasswordResetController, EmailVerificationController, EmailChangeController],
  providers: [
    AccountMailsService,
    AfterResponse,
    PasswordResetService,
    EmailVerificationService,
    EmailChangeService,
  ],
  exports: [EmailVerificationService, AfterResponse],
})
export class AccountModule {}
