import { Module, type DynamicModule } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DatabaseModule } from '../database/database.module';
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
      // account on its command line and leaves that one to the server.
      providers: [
        { provide: AppConfig, useValue: AppConfig.from({ ...config, admin: undefined }) },
      ],
      exports: [AppConfig],
      imports: [DatabaseModule, UsersModule],
    };
  }
}
