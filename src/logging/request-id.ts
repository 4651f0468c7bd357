import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const REQUEST_ID_HEADER = 'X-Request-Id';

// A caller's id is copied into every log line and echoed back, so it must be short and must not
// carry anything that could forge log structure (newlines, quotes) or smuggle a header.
const ACCEPTED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Fastify's `genReqId`: the caller's `X-Request-Id` when it is sane, else a fresh UUID. Fastify
 * puts it on the raw request, where pino-http picks it up as the log lines' `req.id`.
 */
export function requestIdFor(request: IncomingMessage): string {
  const presented = request.headers['x-request-id'];
  return typeof presented === 'string' && ACCEPTED_REQUEST_ID.test(presented)
    ? presented
    : randomUUID();
}

/** Echoes the request id, so a client can quote it when reporting a problem. */
export function echoRequestId(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
}
