import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { SessionsModule } from '../sessions/sessions.module';
import { IntrospectionCallerGuard } from './introspection-caller.guard';
import { OAuthTokensController } from './oauth-tokens.controller';
import { OAuthTokensService } from './oauth-tokens.service';
import { WellKnownController } from './well-known.controller';

/** What other services and OAuth 2.0 clients use: revocation, introspection, discovery, JWKS. */
@Module({
  imports: [AuthModule, SessionsModule],
  controllers: [OAuthTokensController, WellKnownController],
  providers: [OAuthTokensService, IntrospectionCallerGuard],
})
export class OAuthModule {}
