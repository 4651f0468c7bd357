import { Module } from '@nestjs/common';
import { AuthRateLimitGuard } from './auth-rate-limit.guard';
import { AuthRateLimitService } from './auth-rate-limit.service';
import { LoginAttemptsService } from './login-attempts.service';
import { RateLimiterFactory } from './rate-limiter.factory';

@Module({
  providers: [RateLimiterFactory, LoginAttemptsService, AuthRateLimitService, AuthRateLimitGuard],
  exports: [RateLimiterFactory, LoginAttemptsService, AuthRateLimitService, AuthRateLimitGuard],
})
export class RateLimitModule {}
