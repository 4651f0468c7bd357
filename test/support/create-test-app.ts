import type { LoggerService, LogLevel, ModuleMetadata, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp, createAdapter } from '../../src/app.setup';
import { TrustProxyRule } from '../../src/common/trust-proxy';
import { AppConfig } from '../../src/config/app-config';
import { parseEnvironment, type RawEnvironment } from '../../src/config/env.validation';
import { LogDestination } from '../../src/logging/log-destination';
import { copySqliteTemplate, usingPostgres } from './test-database';

export const TEST_JWT_SECRET = 'e2e-test-secret-with-at-least-32-bytes-of-key';
export const TEST_ENCRYPTION_KEY = 'e2e-test-encryption-key-never-the-jwt-one';
export const TEST_JWT_ISSUER = 'nest-auth';
export const TEST_JWT_AUDIENCE = 'nest-auth-api';

export interface TestApp {
  app: NestFastifyApplication;
  dataSource: DataSource;
  databaseUrl: string;
  /** A supertest client bound to the app's HTTP server. */
  http: () => TestAgent;
  close: () => Promise<void>;
}

export interface TestAppOptions {
  /** Modules mounted beside the app's own (a test-only controller, say). */
  imports?: NonNullable<ModuleMetadata['imports']>;
  /** Read the app's JSON log lines here (the JSON logger replaces Nest's quiet test logger). */
  logDestination?: DestinationStream;
  /** Providers replaced by values (shorter outbox timings, say). */
  overrideProviders?: ProviderOverride[];
}

export interface ProviderOverride {
  provide: Type;
  useValue: unknown;
}

/** The run's database for PostgreSQL, or a private copy of the migrated SQLite template. */
export function testDatabaseUrl(): string {
  if (usingPostgres()) {
    const url = process.env.DATABASE_URL;
    if (!url) {
      throw new Error('DATABASE_URL is not set by the global setup');
    }
    return url;
  }
  return `sqlite:${copySqliteTemplate()}`;
}

/** The configuration a test app runs with: test defaults, then the test's own keys. */
export function testConfig(env: RawEnvironment = {}, databaseUrl = testDatabaseUrl()): AppConfig {
  return parseEnvironment({
    ...process.env,
    NODE_ENV: 'test',
    JWT_SECRET: TEST_JWT_SECRET,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    BCRYPT_COST: '4',
    LOG_LEVEL: 'error',
    REDIS_URL: '',
    ...env,
    DATABASE_URL: databaseUrl,
  });
}

/**
 * The real AppModule and app set-up (configureApp), with the configuration replaced by
 * {@link testConfig} and its own database.
 */
export async function createTestApp(
  env: RawEnvironment = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const databaseUrl = env.DATABASE_URL ?? testDatabaseUrl();
  let builder = Test.createTestingModule({ imports: [AppModule, ...(options.imports ?? [])] })
    .overrideProvider(AppConfig)
    .useValue(testConfig(env, databaseUrl));
  if (options.logDestination) {
    builder = builder
      .overrideProvider(LogDestination)
      .useValue(new LogDestination(options.logDestination));
  }
  for (const { provide, useValue } of options.overrideProviders ?? []) {
    builder = builder.overrideProvider(provide).useValue(useValue);
  }
  const moduleRef = await builder.compile();
  const trustProxy = new TrustProxyRule();
  const logger: LoggerService | LogLevel[] = ['error', 'fatal'];
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createAdapter(trustProxy), {
    ...(options.logDestination ? { bufferLogs: true } : { logger }),
  });
  if (options.logDestination) {
    app.useLogger(app.get(Logger));
  }
  await configureApp(app, trustProxy);
  const server = app.getHttpServer();
  return {
    app,
    dataSource: app.get(DataSource),
    databaseUrl,
    http: () => request(server),
    close: () => app.close(),
  };
}
