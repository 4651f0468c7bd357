import type { FastifyRequest } from 'fastify';

/** Who is calling, as services need it: the login limits and the session list. */
export interface ClientInfo {
  /** The caller's address, as TRUST_PROXY resolves it. */
  ip: string;
  userAgent: string | null;
}

/** Read at the edge (controller, strategy), so that services never see the HTTP request. */
export function clientInfoOf(request: FastifyRequest): ClientInfo {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof userAgent === 'string' ? userAgent : null };
}
