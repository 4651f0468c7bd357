import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by @TokenEndpoint(). */
    oauthTokenEndpoint?: boolean;
  }
}

/**
 * Gives a route's errors the RFC 6749 §5.2 shape (see token-endpoint-errors.ts). Set in the
 * Fastify route's config rather than in Nest's metadata: errors raised while Fastify parses the
 * body (malformed JSON, a body over the limit) never reach a Nest handler, but they do know the
 * route they were sent to.
 *
 * @example
 * ```ts
 * @TokenEndpoint()
 * @Post('refresh')
 * refresh(@Body() dto: RefreshTokenDto) {}
 * ```
 */
export const TokenEndpoint = (): MethodDecorator => RouteConfig({ oauthTokenEndpoint: true });

export function isTokenEndpointRequest(request: FastifyRequest): boolean {
  // Optional: errors raised before routing may come with a request that has no route yet.
  return request.routeOptions?.config?.oauthTokenEndpoint === true;
}
