import { Module, ValidationPipe, type DynamicModule } from '@nestjs/common';
import type { ModuleMetadata } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AuthModule } from './auth/auth.module';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter';
import { AppConfig } from './config/app-config';
import { AppConfigModule, type AppConfigModuleOptions } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { loggerParams } from './logging/logger-options';
import { MetricsModule } from './metrics/metrics.module';
import { OAuthModule } from './oauth/oauth.module';
import { PostsModule } from './posts/posts.module';
import { RedisModule } from './redis/redis.module';
import { UsersModule } from './users/users.module';

type ModuleImport = NonNullable<ModuleMetadata['imports']>[number];

export interface AppModuleOptions extends AppConfigModuleOptions {
  /** Where JSON log lines go (stdout by default); tests capture them here. */
  logDestination?: DestinationStream;
}

@Module({})
export class AppModule {
  /** `extraImports`: modules added beside the app's own (tests mount test-only controllers). */
  static forRoot(options: AppModuleOptions = {}, extraImports: ModuleImport[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(options),
        LoggerModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => loggerParams(config, options.logDestination),
        }),
        MetricsModule,
        DatabaseModule,
        RedisModule,
        AuthModule,
        OAuthModule,
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
