import type { FastifyRequest } from 'fastify';
import type { ClientInfo } from '../sessions/sessions.service';

/** The caller's address (as TRUST_PROXY resolves it) and user agent, for the session list. */
export function clientInfoOf(request: FastifyRequest): ClientInfo {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: typeof userAgent === 'string' ? userAgent : null };
}
