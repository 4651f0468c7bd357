import {
  Injectable,
  NotFoundException,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { extractBearerToken } from '../auth/bearer-token';
import { AppConfig } from '../config/app-config';

/**
 * POST /auth/introspect answers only callers holding INTROSPECTION_TOKEN (RFC 7662 §2.1: the
 * endpoint must be protected, or it would tell anyone which tokens are live). Unset, the
 * route does not exist for clients: 404.
 */
@Injectable()
export class IntrospectionCallerGuard implements CanActivate {
  private readonly expectedDigest?: Buffer;

  constructor(config: AppConfig) {
    this.expectedDigest =
      config.introspectionToken === undefined ? undefined : digest(config.introspectionToken);
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.expectedDigest === undefined) {
      throw new NotFoundException();
    }
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const presented = extractBearerToken(request.headers);
    // Comparing digests keeps the comparison constant-time even when the lengths differ.
    if (presented === null || !timingSafeEqual(digest(presented), this.expectedDigest)) {
      throw new UnauthorizedException('A valid introspection token is required');
    }
    return true;
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
