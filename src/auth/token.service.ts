import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import type { Session } from '../sessions/session.entity';
import type { User } from '../users/user.entity';
import { TokenResponseDto } from './dto/token-response.dto';

/** The `amr` of sessions opened before it was recorded: every one of them used the password. */
const PASSWORD_ONLY = ['pwd'];

@Injectable()
export class TokenService {
  constructor(
    private readonly jwtService: JwtService,
    private readonly config: AppConfig,
  ) {}

  /** An access token for the session, with the refresh token that goes with it. */
  issue(user: User, session: Session, refreshToken: string): TokenResponseDto {
    // iss, aud, exp and the algorithm come from the module's sign options.
    const accessToken = this.jwtService.sign(
      { username: user.username, sid: session.id, amr: session.amr ?? PASSWORD_ONLY },
      { subject: user.id, jwtid: randomUUID() },
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
