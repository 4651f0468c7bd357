import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-jwt';
import { AppConfig } from '../../config/app-config';
import { SessionsService } from '../../sessions/sessions.service';
import type { User } from '../../users/user.entity';
import { hasAccessTokenClaims } from '../access-token-claims';
import { extractBearerToken } from '../bearer-token';
import { ACCESS_TOKEN_ALGORITHM, createSigningKey } from '../signing-key';
import type { AuthenticatedRequest } from '../types/authenticated-request.type';
import type { AccessTokenClaims } from '../types/jwt-payload.type';
import { VerifiedTokenCache } from '../verified-token-cache';
import { cacheVerifiedTokens } from './cached-jwt-verifier';

/**
 * Verifies the access token (HS256 only, iss, aud, exp), then loads the session and its user in
 * one query and refuses revoked sessions and unknown or disabled users. No side effects.
 *
 * A token whose signature and claims were checked once is remembered until it expires
 * (VerifiedTokenCache); the session and the user are still read on every request.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  private readonly checkedPayloads = new WeakSet<object>();

  constructor(
    config: AppConfig,
    private readonly sessions: SessionsService,
  ) {
    const key = createSigningKey(config);
    cacheVerifiedTokens(key, new VerifiedTokenCache());
    super({
      jwtFromRequest: (request: FastifyRequest) => extractBearerToken(request.headers),
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
    if (!this.hasCheckedClaims(payload)) {
      return false;
    }
    const user = await this.sessions.loadActiveUser(payload.sub, payload.sid);
    if (!user) {
      return false;
    }
    request.accessToken = payload;
    return user;
  }

  /**
   * hasAccessTokenClaims, once per payload object: a remembered token hands the same frozen
   * payload to every request that presents it.
   */
  private hasCheckedClaims(payload: unknown): payload is AccessTokenClaims {
    if (typeof payload === 'object' && payload !== null && this.checkedPayloads.has(payload)) {
      return true;
    }
    if (!hasAccessTokenClaims(payload)) {
      return false;
    }
    this.checkedPayloads.add(payload);
    return true;
  }
}
