import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TokenService } from '../auth/token.service';
import type { ClientInfo } from '../common/client-info';
import { inTransaction } from '../database/in-transaction';
import { SecurityEventsService } from '../security-events/security-events.service';
import { ActiveUserLookup } from '../sessions/active-user.lookup';
import { SessionsService } from '../sessions/sessions.service';
import { IntrospectionResponseDto } from './dto/introspection-response.dto';

/** Revocation (RFC 7009) and introspection (RFC 7662) of the tokens this server issues. */
@Injectable()
export class OAuthTokensService {
  constructor(
    private readonly tokens: TokenService,
    private readonly sessions: SessionsService,
    private readonly activeUsers: ActiveUserLookup,
    private readonly events: SecurityEventsService,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * Ends the session of a refresh token (current or spent) or of an access token. The hint is
   * not trusted (RFC 7009 §2.1 lets the server look further): both kinds are tried. Unknown,
   * expired and malformed tokens end nothing, and the caller is told nothing either way. A
   * session it ends gets a `logout` event (`via: revocation`), the holder of its token as actor.
   */
  async revoke(token: string, client: ClientInfo): Promise<void> {
    const claims = this.tokens.verifyAccessToken(token);
    await inTransaction(this.dataSource, async (manager) => {
      const ended =
        claims === null
          ? await this.sessions.revokeByRefreshToken(token, manager)
          : (await this.sessions.revokeOwned(claims.sub, claims.sid, manager))
            ? { sessionId: claims.sid, userId: claims.sub }
            : null;
      if (ended) {
        await this.events.record(manager, {
          type: 'logout',
          userId: ended.userId,
          actorId: ended.userId,
          sessionId: ended.sessionId,
          client,
          details: { via: 'revocation' },
        });
      }
    });
  }

  /** Active only for a verified access token whose session is live and whose user is active. */
  async introspect(token: string): Promise<IntrospectionResponseDto> {
    const claims = this.tokens.verifyAccessToken(token);
    if (claims === null) {
      return IntrospectionResponseDto.inactive();
    }
    const user = await this.activeUsers.load(claims.sub, claims.sid);
    return user === null
      ? IntrospectionResponseDto.inactive()
      : IntrospectionResponseDto.of(claims);
  }
}
