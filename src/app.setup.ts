import type { LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { API_PREFIX } from './api-prefix';
import { AppModule, type AppModuleOptions } from './app.module';
import { registerSecurityHeaders } from './common/security-headers';
import { TrustProxyRule } from './common/trust-proxy';
import { AppConfig } from './config/app-config';
import { echoRequestId, requestIdFor } from './logging/request-id';
import { registerRequestLogging } from './logging/request-logging';
import { registerHttpMetrics } from './metrics/http-metrics';
import { MetricsService } from './metrics/metrics.service';
import { WELL_KNOWN_PATHS } from './oauth/well-known.controller';
import { setupSwagger } from './swagger';

export const BODY_LIMIT_BYTES = 100 * 1024;

export interface CreateAppOptions extends AppModuleOptions {
  /** Nest's own logger instead of the JSON (pino) one; tests use it to keep their output short. */
  logger?: LoggerService | LogLevel[] | false;
  /** Modules mounted beside the app's own; tests use it to add a test-only controller. */
  extraImports?: Parameters<typeof AppModule.forRoot>[1];
}

/** Builds the application as production runs it; main.ts and every e2e test share this. */
export async function createApp(options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const trustProxy = new TrustProxyRule();
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: trustProxy.trust,
    genReqId: requestIdFor,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(options, options.extraImports),
    adapter,
    // Start-up lines are held until the JSON logger exists, so that every line is JSON.
    { abortOnError: false, logger: options.logger, bufferLogs: options.logger === undefined },
  );
  if (options.logger === undefined) {
    app.useLogger(app.get(Logger));
  }
  const config = app.get(AppConfig);
  trustProxy.configure(config.trustProxy);
  try {
    await configureApp(app, config, options.logger === undefined);
  } catch (error) {
    // A start-up step failed (a bad bootstrap admin, say): release the database before the
    // caller exits or, in tests, carries on.
    await app.close().catch(() => undefined);
    throw error;
  }
  return app;
}

export async function configureApp(
  app: NestFastifyApplication,
  config: AppConfig,
  usesJsonLogs = true,
): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  echoRequestId(fastify);
  registerHttpMetrics(fastify, app.get(MetricsService));
  if (usesJsonLogs) {
    registerRequestLogging(fastify);
  }
  app.setGlobalPrefix(API_PREFIX, { exclude: ['metrics', ...WELL_KNOWN_PATHS] });
  registerSecurityHeaders(fastify);
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins.includes('*') ? true : config.corsOrigins,
      exposedHeaders: ['Retry-After', 'WWW-Authenticate', 'X-Request-Id'],
    });
  }
  // process.exit(0) once closed: Nest's default re-raises the signal, which exits non-zero.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  setupSwagger(app);
  await app.init();
  await fastify.ready();
}
