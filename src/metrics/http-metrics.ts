import type { FastifyInstance } from 'fastify';
import type { MetricsService } from './metrics.service';

/**
 * Counts every answered request, including those refused by guards or matching no route, which
 * a Nest interceptor would miss. The route label is Fastify's pattern (`/api/v1/users/:id`),
 * never the raw URL, so the number of series stays bounded.
 */
export function registerHttpMetrics(fastify: FastifyInstance, metrics: MetricsService): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.recordHttpRequest(
      request.method,
      request.is404 ? undefined : request.routeOptions.url,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });
}
