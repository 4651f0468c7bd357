import type { FastifyRequest } from 'fastify';
import type { User } from '../../users/user.entity';
import type { AccessTokenClaims } from './jwt-payload.type';

/** A request that passed the JWT guard: the loaded, active user and the token's claims. */
export interface AuthenticatedRequest extends FastifyRequest {
  user: User;
  accessToken: AccessTokenClaims;
}
