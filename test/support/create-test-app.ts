import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { createApp, type CreateAppOptions } from '../../src/app.setup';
import type { RawEnvironment } from '../../src/config/env.validation';
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

/**
 * The app as production builds it (createApp), with test settings and its own database.
 * `options` can mount test-only modules (`extraImports`) or capture the JSON logs
 * (`{ logger: undefined, logDestination }`).
 */
export async function createTestApp(
  env: RawEnvironment = {},
  options: Pick<CreateAppOptions, 'extraImports' | 'logger' | 'logDestination'> = {},
): Promise<TestApp> {
  const databaseUrl = env.DATABASE_URL ?? testDatabaseUrl();
  const app = await createApp({
    readEnvFile: false,
    overrides: {
      NODE_ENV: 'test',
      JWT_SECRET: TEST_JWT_SECRET,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      BCRYPT_COST: '4',
      LOG_LEVEL: 'error',
      REDIS_URL: '',
      ...env,
      DATABASE_URL: databaseUrl,
    },
    logger: ['error', 'fatal'],
    ...options,
  });
  const server = app.getHttpServer();
  return {
    app,
    dataSource: app.get(DataSource),
    databaseUrl,
    http: () => request(server),
    close: () => app.close(),
  };
}
