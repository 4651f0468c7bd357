import { Module, type DynamicModule } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DatabaseModule } from '../database/database.module';
import { RedisModule } from '../redis/redis.module';
import { SecurityEventsModule } from '../security-events/security-events.module';
import { UsersModule } from '../users/users.module';

/**
 * What `npm run user:create-admin` needs of the application: the data source (its SchemaMigrator
 * applies pending migrations first) and the users' services. No HTTP server. Redis is connected
 * only when REDIS_URL is set (UsersModule's rate-limited routes bring RateLimitModule), and the CLI
 * never uses it.
 */
@Module({})
export class CreateAdminModule {
  static withConfig(config: AppConfig): DynamicModule {
    return {
      module: CreateAdminModule,
      global: true,
      // ADMIN_* names the server's start-up admin (BootstrapAdminService); the CLI creates only the
      // account on its command line and leaves that one to the server. It checks no password
      // against the login limits, so it counts them in memory and never connects to Redis.
      providers: [
        {
          provide: AppConfig,
          useValue: AppConfig.from({ ...config, admin: undefined, redisUrl: undefined }),
        },
      ],
      exports: [AppConfig],
      // The users' services record security events (the admin rules do) and check passwords
      // against the login limits (RateLimitModule needs RedisModule).
      imports: [DatabaseModule, RedisModule, SecurityEventsModule, UsersModule],
    };
  }
}
