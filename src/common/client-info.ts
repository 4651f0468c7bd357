import type { FastifyRequest } from 'fastify';

/** Who is calling, as services need it: the login limits, the session list, security events. */
export interface ClientInfo {
  /** The caller's address, as TRUST_PROXY resolves it. */
  ip: string;
  userAgent: string | null;
  /**
   * The caller's X-Request-Id when it sent a sane one, else the id the server gave the request.
   * Absent outside a request (the CLI, tests calling services directly).
   */
  requestId?: string;
}

/** Read at the edge (controller, strategy), so that services never see the HTTP request. */
export function clientInfoOf(request: FastifyRequest): ClientInfo {
  const userAgent = request.headers['user-agent'];
  return {
    ip: request.ip,
    userAgent: typeof userAgent === 'string' ? userAgent : null,
    requestId: request.id,
  };
}
