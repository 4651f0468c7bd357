import { Module } from '@nestjs/common';
import { RedisModule } from '../redis/redis.module';
import { AuthRateLimitService } from './auth-rate-limit.service';
import { LoginAttemptsService } from './login-attempts.service';
import { RateLimiterFactory } from './rate-limiter.factory';

// AuthRateLimitGuard is no provider here: @AuthRateLimit() makes Nest build it in the module of
// the controller that uses it, from the exported service that holds the counter.
// RedisModule is global in the app, but imported here too: the limits need its store wherever
// a module with limited routes is loaded (the create-admin CLI loads UsersModule without the app).
@Module({
  imports: [RedisModule],
  providers: [RateLimiterFactory, LoginAttemptsService, AuthRateLimitService],
  // The factory too: the verification resend limit is a counter of the account module's own.
  exports: [RateLimiterFactory, LoginAttemptsService, AuthRateLimitService],
})
export class RateLimitModule {}
