import { Injectable } from '@nestjs/common';
import { JwtService, type JwtSignOptions } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import type { Session } from '../sessions/session.entity';
import type { User } from '../users/user.entity';
import { hasAccessTokenClaims } from './access-token-claims';
import { TokenResponseDto } from './dto/token-response.dto';
import type { AccessTokenClaims } from './types/jwt-payload.type';
import { SigningKeys } from './signing-keys';

/** The `amr` of sessions opened before it was recorded: every one of them used the password. */
const PASSWORD_ONLY = ['pwd'];

@Injectable()
export class TokenService {
  constructor(
    private readonly jwtService: JwtService,
    private readonly config: AppConfig,
    private readonly keys: SigningKeys,
  ) {
    this.signOptions = {
      privateKey: keys.signingKey,
      algorithm: keys.algorithm,
      // jsonwebtoken refuses an undefined keyid: HS256 tokens carry none.
      ...(keys.keyId === undefined ? {} : { keyid: keys.keyId }),
      expiresIn: config.jwt.accessTtlSeconds,
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
    };
  }

  /** The key, algorithm, kid, lifetime, issuer and audience of every access token. */
  private readonly signOptions: JwtSignOptions;

  /**
   * The claims of an access token whose signature (by the key its header names, in the
   * configured algorithm), iss, aud, exp and claim types check out; null for anything else.
   * The session and the user are not looked at: the caller decides what it needs.
   */
  verifyAccessToken(token: string): AccessTokenClaims | null {
    const key = this.keys.verificationKeyFor(token);
    if (key === undefined) {
      return null;
    }
    try {
      const payload: unknown = this.jwtService.verify(token, {
        // jsonwebtoken accepts a KeyObject; @nestjs/jwt's types only know strings and Buffers.
        publicKey: key as unknown as Buffer,
        algorithms: [this.keys.algorithm],
        issuer: this.config.jwt.issuer,
        audience: this.config.jwt.audience,
      });
      return hasAccessTokenClaims(payload) ? payload : null;
    } catch {
      return null;
    }
  }

  /** An access token for the session, with the refresh token that goes with it. */
  issue(user: User, session: Session, refreshToken: string): TokenResponseDto {
    const accessToken = this.jwtService.sign(
      { username: user.username, sid: session.id, amr: session.amr ?? PASSWORD_ONLY },
      { ...this.signOptions, subject: user.id, jwtid: randomUUID() },
    );
    return {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: this.config.jwt.accessTtlSeconds,
      refresh_token: refreshToken,
      refresh_expires_in: Math.max(
        0,
        Math.floor((session.expiresAt.getTime() - Date.now()) / 1000),
      ),
    };
  }
}
