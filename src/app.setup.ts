import type { LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { API_PREFIX } from './api-prefix';
import { AppModule } from './app.module';
import { registerSecurityHeaders } from './common/security-headers';
import { TrustProxyRule } from './common/trust-proxy';
import { AppConfig } from './config/app-config';
import type { AppConfigModuleOptions } from './config/config.module';
import { setupSwagger } from './swagger';

export const BODY_LIMIT_BYTES = 100 * 1024;

export interface CreateAppOptions extends AppConfigModuleOptions {
  logger?: LoggerService | LogLevel[] | false;
}

/** Builds the application as production runs it; main.ts and every e2e test share this. */
export async function createApp(options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const trustProxy = new TrustProxyRule();
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, trustProxy: trustProxy.trust });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(options),
    adapter,
    { abortOnError: false, logger: options.logger, bufferLogs: false },
  );
  const config = app.get(AppConfig);
  trustProxy.configure(config.trustProxy);
  await configureApp(app, config);
  return app;
}

export async function configureApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  app.setGlobalPrefix(API_PREFIX, { exclude: ['metrics'] });
  registerSecurityHeaders(fastify);
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins.includes('*') ? true : config.corsOrigins,
      exposedHeaders: ['Retry-After', 'WWW-Authenticate', 'X-Request-Id'],
    });
  }
  app.enableShutdownHooks();
  setupSwagger(app);
  await app.init();
  await fastify.ready();
}
