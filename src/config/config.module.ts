import { Global, Logger, Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { AppConfig } from './app-config';
import { parse } from 'dotenv';
import { existsSync, readFileSync } from 'node:fs';
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
    // Parsed here, synchronously, rather than in ConfigModule's `validate` hook: ConfigModule.forRoot
    // is async, so its errors surface inside Nest's module scan, which logs them with a stack
    // trace. Thrown from here, a ConfigValidationError reaches main.ts, which prints one line per key.
    const appConfig = parseEnvironment(
      { ...readDotEnv(options.readEnvFile !== false), ...process.env, ...options.overrides },
      { warn: (message) => logger.warn(message) },
    );
    return {
      module: AppConfigModule,
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          validate: () => ({ [APP_CONFIG_KEY]: appConfig }),
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

/** `.env` of the working directory, under the process environment as @nestjs/config reads it. */
function readDotEnv(enabled: boolean): RawEnvironment {
  const file = '.env';
  return enabled && existsSync(file) ? parse(readFileSync(file)) : {};
}
