import { Module } from '@nestjs/common';
import { AuthRateLimitService } from './auth-rate-limit.service';
import { LoginAttemptsService } from './login-attempts.service';
import { RateLimiterFactory } from './rate-limiter.factory';

// AuthRateLimitGuard is no provider here: @AuthRateLimit() makes Nest build it in the module of
// the controller that uses it, from the exported service that holds the counter.
@Module({
  providers: [RateLimiterFactory, LoginAttemptsService, AuthRateLimitService],
  exports: [LoginAttemptsService, AuthRateLimitService],
})
export class RateLimitModule {}
