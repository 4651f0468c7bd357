import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-jwt';
import { AppConfig } from '../../config/app-config';
import { ActiveUserLookup } from '../../sessions/active-user.lookup';
import type { User } from '../../users/user.entity';
import { hasAccessTokenClaims } from '../access-token-claims';
import { accessTokenOf } from '../cookies/auth-cookies';
import { SigningKeys } from '../signing-keys';
import type { AuthenticatedRequest } from '../types/authenticated-request.type';

type KeyCallback = (error: Error | null, key?: string | Buffer) => void;

/**
 * Verifies the access token, from the bearer header or else the access_token cookie (the configured algorithm only, iss, aud, exp; with RS256/ES256 the
 * key is the one the header's `kid` names, and an unknown kid is refused; a token verified before
 * is answered from the cache AuthModule installs for each key), then loads the session and its
 * user in one query and refuses revoked sessions and unknown or disabled users. No side effects.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    keys: SigningKeys,
    private readonly activeUsers: ActiveUserLookup,
  ) {
    super({
      // The bearer header, else the access_token cookie (same checks, same cache).
      jwtFromRequest: (request: FastifyRequest) => accessTokenOf(request),
      secretOrKeyProvider: (_request: FastifyRequest, token: string, done: KeyCallback) => {
        const key = keys.verificationKeyFor(token);
        // jsonwebtoken accepts a KeyObject; the type definitions only know strings and Buffers.
        // The very same KeyObject per kid, so the verified-token cache finds its entries.
        done(
          key === undefined ? new Error('no key for this token') : null,
          key as unknown as Buffer,
        );
      },
      // passport-jwt hands this list to jsonwebtoken: a token in any other algorithm (none, or
      // HS256 made with a public key as the secret) fails before its signature is looked at.
      algorithms: [keys.algorithm],
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
