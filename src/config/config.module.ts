import { Global, Logger, Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { AppConfig } from './app-config';
import { parseEnvironment, type RawEnvironment } from './env.validation';

const APP_CONFIG_KEY = 'app';

export interface AppConfigModuleOptions {
  /** Values that win over the process environment (tests start apps with their own). */
  overrides?: RawEnvironment;
  /** Read `.env` from the working directory (on by default, off in tests). */
  readEnvFile?: boolean;
}

/**
 * Validates the environment once, through @nestjs/config's `validate` hook, and provides the
 * typed {@link AppConfig} to the whole application.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(options: AppConfigModuleOptions = {}): DynamicModule {
    const logger = new Logger('Config');
    return {
      module: AppConfigModule,
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: options.readEnvFile === false,
          validate: (raw: RawEnvironment) => ({
            [APP_CONFIG_KEY]: parseEnvironment(
              { ...raw, ...options.overrides },
              { warn: (message) => logger.warn(message) },
            ),
          }),
        }),
      ],
      providers: [
        {
          provide: AppConfig,
          inject: [ConfigService],
          useFactory: (configService: ConfigService) =>
            configService.getOrThrow<AppConfig>(APP_CONFIG_KEY),
        },
      ],
      exports: [AppConfig],
    };
  }
}
