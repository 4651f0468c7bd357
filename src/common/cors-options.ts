import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** @fastify/cors's options, as Nest's Fastify adapter takes them. */
type FastifyCorsOptions = NonNullable<Parameters<NestFastifyApplication['enableCors']>[0]>;

/** Request headers a browser app may send cross-origin (the CORS-safelisted ones aside). */
const ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'X-Auth-Transport',
  'X-CSRF-Token',
  'X-Request-Id',
];
const EXPOSED_HEADERS = ['Retry-After', 'WWW-Authenticate', 'X-Request-Id'];

/**
 * CORS for CORS_ORIGINS, decided per request: a listed origin is answered with its own name and
 * `Access-Control-Allow-Credentials: true`, so its pages may use the auth cookies. `*` lets every
 * other origin read answers without credentials (bearer clients only): credentials for any origin
 * would let any site act with a visitor's cookies. Origins not allowed get no CORS headers.
 */
export function corsOptionsFor(origins: readonly string[]): FastifyCorsOptions {
  const credentialed = new Set(origins.filter((origin) => origin !== '*'));
  const shared = { allowedHeaders: ALLOWED_HEADERS, exposedHeaders: EXPOSED_HEADERS };
  const withCredentials: FastifyCorsOptions = { ...shared, origin: true, credentials: true };
  const withoutCredentials: FastifyCorsOptions = {
    ...shared,
    origin: origins.includes('*') ? '*' : false,
    credentials: false,
  };
  return {
    delegator: (request, callback) => {
      const origin = request.headers.origin;
      callback(
        null,
        origin !== undefined && credentialed.has(origin) ? withCredentials : withoutCredentials,
      );
    },
  };
}
