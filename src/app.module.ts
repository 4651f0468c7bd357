import { Module, ValidationPipe, type DynamicModule } from '@nestjs/common';
import type { ModuleMetadata } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AuthModule } from './auth/auth.module';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter';
import { AppConfigModule, type AppConfigModuleOptions } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { PostsModule } from './posts/posts.module';
import { RedisModule } from './redis/redis.module';
import { UsersModule } from './users/users.module';

type ModuleImport = NonNullable<ModuleMetadata['imports']>[number];

@Module({})
export class AppModule {
  /** `extraImports`: modules added beside the app's own (tests mount test-only controllers). */
  static forRoot(
    configOptions: AppConfigModuleOptions = {},
    extraImports: ModuleImport[] = [],
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(configOptions),
        DatabaseModule,
        RedisModule,
        AuthModule,
        UsersModule,
        HealthModule,
        PostsModule,
        ...extraImports,
      ],
      providers: [
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({
            whitelist: true,
            forbidNonWhitelisted: true,
            forbidUnknownValues: true,
            transform: true,
            transformOptions: { enableImplicitConversion: false },
          }),
        },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}
