import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import { API_PREFIX } from '../api-prefix';
import type { AppConfig } from '../config/app-config';

const REDACTED = '[Redacted]';

/** Body and query fields that carry secrets, wherever they might end up in a log record. */
const SECRET_FIELDS = [
  'password',
  'currentPassword',
  'newPassword',
  'refresh_token',
  'access_token',
  'token',
] as const;

// Bodies are never serialised, but a log call that passes a DTO or an error carrying one
// still goes through these paths.
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `req.body.${field}`]),
];

// Load balancers poll these every few seconds; a line per poll would drown the useful ones.
const QUIET_PATHS = [`/${API_PREFIX}/health`, '/metrics'];

/**
 * nestjs-pino settings: JSON lines at LOG_LEVEL, no secrets. Its per-request middleware is left
 * off (`forRoutes: []`): run through @fastify/middie it cost about a third of the guarded path's
 * CPU (bench/README.md). The request line is written by a Fastify hook instead
 * (request-logging.ts), with the request id Fastify assigns.
 */
export function loggerParams(config: AppConfig, destination?: DestinationStream): Params {
  const options: Options = {
    level: config.logLevel,
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    autoLogging: false,
    // The request line passes `req` and `res` already shaped (serializeRequest). pino-http's
    // default serializers expect Node's raw request and response and would rebuild them from
    // those: no user agent, no address, and `statusCode: null`.
    wrapSerializers: false,
  };
  return { pinoHttp: destination ? [options, destination] : options, forRoutes: [] };
}

/** Whether a request is one of the load balancer's polls, which get no log line. */
export function isQuietPath(url: string): boolean {
  return QUIET_PATHS.some((path) => url.startsWith(path));
}

/** The request as it appears in a log line: no headers but the user agent, no body. */
export function serializeRequest(request: SerializedRequest): LoggedRequest {
  return {
    id: request.id,
    method: request.method,
    url: redactQuery(request.url),
    // The pattern (`/api/v1/users/:id`) groups lines by endpoint; absent when nothing matched.
    route: request.route,
    remoteAddress: request.remoteAddress,
    userAgent: request.headers?.['user-agent'],
  };
}

export interface SerializedRequest {
  id: string;
  method: string;
  url: string;
  route?: string;
  remoteAddress?: string;
  headers?: Record<string, string | string[] | undefined>;
}

export interface LoggedRequest {
  id: string;
  method: string;
  url: string;
  route: string | undefined;
  remoteAddress: string | undefined;
  userAgent: string | string[] | undefined;
}

/**
 * Credentials in a query string are ignored by the API but would still reach a log line: the
 * request line here, and the error line of a request that crashed (all-exceptions.filter.ts).
 */
export function redactQuery(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) {
    return url;
  }
  const secret = new Set<string>(
    [...SECRET_FIELDS, 'token', 'client_secret'].map((field) => field.toLowerCase()),
  );
  const query = url
    .slice(queryStart + 1)
    .split('&')
    .map((pair) => {
      const name = pair.split('=', 1)[0];
      return secret.has(safeDecode(name).toLowerCase()) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${url.slice(0, queryStart)}?${query}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
