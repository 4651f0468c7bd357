import type { FastifyInstance } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import type { Logger as PinoInstance } from 'pino';
import { isQuietPath, serializeRequest } from './logger-options';

/**
 * One JSON line per answered request, tagged with the request id (X-Request-Id or a generated
 * one), written from Fastify's onResponse hook. At a LOG_LEVEL above info it costs one check.
 */
export function registerRequestLogging(fastify: FastifyInstance): void {
  let logger: PinoInstance | undefined;
  fastify.addHook('onResponse', (request, reply, done) => {
    // nestjs-pino creates its root logger while the app initialises, after hooks are added.
    logger ??= PinoLogger.root;
    const status = reply.statusCode;
    // A 503 is readiness saying "not now" (a dependency down, or shutting down), not a fault.
    const level = status >= 500 && status !== 503 ? 'error' : 'info';
    if (logger?.isLevelEnabled(level) && !isQuietPath(request.url)) {
      logger[level](
        {
          req: serializeRequest({
            id: request.id,
            method: request.method,
            url: request.url,
            route: request.is404 ? undefined : request.routeOptions.url,
            remoteAddress: request.ip,
            headers: request.headers,
          }),
          res: { statusCode: status },
          responseTime: Math.round(reply.elapsedTime),
        },
        'request completed',
      );
    }
    done();
  });
}
