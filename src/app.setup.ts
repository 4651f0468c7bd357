import fastifyCookie from '@fastify/cookie';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { API_PREFIX } from './api-prefix';
import { AppModule } from './app.module';
import { corsOptionsFor } from './common/cors-options';
import { registerInputSafety } from './common/input-safety';
import { registerSecurityHeaders } from './common/security-headers';
import { TrustProxyRule } from './common/trust-proxy';
import { AppConfig } from './config/app-config';
import { QuietStartupLogger } from './logging/quiet-startup.logger';
import { echoRequestId, requestIdFor } from './logging/request-id';
import { registerRequestLogging } from './logging/request-logging';
import { registerHttpMetrics } from './metrics/http-metrics';
import { MetricsService } from './metrics/metrics.service';
import { WELL_KNOWN_PATHS } from './oauth/well-known.controller';
import { setupSwagger } from './swagger';

export const BODY_LIMIT_BYTES = 100 * 1024;

/**
 * The Fastify adapter every app runs on. Which proxies to trust is only known once the
 * configuration is loaded, so the adapter asks `trustProxy`, which configureApp() sets.
 */
export function createAdapter(trustProxy: TrustProxyRule): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: trustProxy.trust,
    genReqId: requestIdFor,
  });
}

/** Builds the application as production runs it (main.ts). */
export async function createApp(): Promise<NestFastifyApplication> {
  const trustProxy = new TrustProxyRule();
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule,
    createAdapter(trustProxy),
    {
      abortOnError: false,
      // Start-up lines are held until the JSON logger exists, so that every line is JSON.
      bufferLogs: true,
    },
  );
  app.useLogger(new QuietStartupLogger(app.get(Logger)));
  await configureApp(app, trustProxy);
  return app;
}

/**
 * Everything around the modules: the /api/v1 prefix, security headers, the input-safety check,
 * request ids, logs and metrics, cookies, CORS, Swagger UI, shutdown hooks. Production (createApp)
 * and the e2e tests share it.
 */
export async function configureApp(
  app: NestFastifyApplication,
  trustProxy: TrustProxyRule,
): Promise<void> {
  try {
    await setUp(app, trustProxy);
  } catch (error) {
    // A start-up step failed (a bad bootstrap admin, say): release the database before the
    // caller exits or, in tests, carries on.
    await app.close().catch(() => undefined);
    throw error;
  }
}

async function setUp(app: NestFastifyApplication, trustProxy: TrustProxyRule): Promise<void> {
  const config = app.get(AppConfig);
  trustProxy.configure(config.trustProxy);
  const fastify = app.getHttpAdapter().getInstance();
  echoRequestId(fastify);
  registerHttpMetrics(fastify, app.get(MetricsService));
  registerRequestLogging(fastify);
  app.setGlobalPrefix(API_PREFIX, { exclude: ['metrics', ...WELL_KNOWN_PATHS] });
  registerSecurityHeaders(fastify);
  registerInputSafety(fastify);
  // request.cookies and reply.setCookie(): the browser transport (src/auth/cookies/).
  await app.register(fastifyCookie);
  if (config.corsOrigins.length > 0) {
    app.enableCors(corsOptionsFor(config.corsOrigins));
  }
  // process.exit(0) once closed: Nest's default re-raises the signal, which exits non-zero.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  setupSwagger(app);
  await app.init();
  await fastify.ready();
}
