import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import type { KeyObject } from 'node:crypto';
import { Strategy } from 'passport-jwt';
import { AppConfig } from '../../config/app-config';
import { ActiveUserLookup } from '../../sessions/active-user.lookup';
import type { User } from '../../users/user.entity';
import { hasAccessTokenClaims } from '../access-token-claims';
import { accessTokenOf } from '../cookies/auth-cookies';
import { ACCESS_TOKEN_ALGORITHM, ACCESS_TOKEN_VERIFY_KEY } from '../signing-key';
import type { AuthenticatedRequest } from '../types/authenticated-request.type';

/**
 * Verifies the access token, from the bearer header or else the access_token cookie (HS256 only,
 * iss, aud, exp; a token verified before is answered from the cache AuthModule installs for this
 * key), then loads the session and its user in one query and refuses revoked sessions and
 * unknown or disabled users. No side effects.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    @Inject(ACCESS_TOKEN_VERIFY_KEY) key: KeyObject,
    private readonly activeUsers: ActiveUserLookup,
  ) {
    super({
      // The bearer header, else the access_token cookie (same checks, same cache).
      jwtFromRequest: (request: FastifyRequest) => accessTokenOf(request),
      // jsonwebtoken accepts a KeyObject; the type definitions only know strings and Buffers.
      secretOrKey: key as unknown as Buffer,
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      ignoreExpiration: false,
      passReqToCallback: true,
    });
  }

  async validate(request: AuthenticatedRequest, payload: unknown): Promise<User | false> {
    if (!hasAccessTokenClaims(payload)) {
      return false;
    }
    const user = await this.activeUsers.load(payload.sub, payload.sid);
    if (!user) {
      return false;
    }
    request.accessToken = payload;
    return user;
  }
}
