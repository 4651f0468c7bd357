import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AccountModule } from '../account/account.module';
import { AppConfig } from '../config/app-config';
import { MfaModule } from '../mfa/mfa.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { AuthCookies } from './cookies/auth-cookies.service';
import { CsrfCheck } from './cookies/csrf-check';
import { CsrfGuard } from './cookies/csrf.guard';
import { JwtAuthGuard } from './guards/jwt-auth.guard';
import { RolesGuard } from './guards/roles.guard';
import { SigningKeys } from './signing-keys';
import { cacheVerifiedTokens } from './strategies/cached-jwt-verifier';
import { JwtStrategy } from './strategies/jwt.strategy';
import { LocalStrategy } from './strategies/local.strategy';
import { TokenService } from './token.service';
import { VerifiedTokenCache } from './verified-token-cache';

@Module({
  imports: [
    UsersModule,
    SessionsModule,
    RateLimitModule,
    // Registration queues the verification mail in its own transaction.
    AccountModule,
    MfaModule,
    PassportModule,
    // Keys and options are passed on each sign by TokenService, from SigningKeys.
    JwtModule.register({}),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    TokenService,
    AuthCookies,
    CsrfCheck,
    LocalStrategy,
    // The keys, made once, and the one shortcut on the guarded path (bench/README.md, step 5):
    // jsonwebtoken's check was a quarter of a request's CPU (an ES256 verify costs about as much
    // as a whole guarded request), for an answer that depends only on the token text and the key.
    // So passport-jwt's verifier (its static `Strategy.JwtVerifier`) remembers tokens it verified
    // with each of these keys, re-checking exp/nbf on every hit; the session and the user are
    // still read on every request, so revocation and disabling apply at once. JwtStrategy hands
    // the verifier these very KeyObjects, chosen by the token's kid.
    {
      provide: SigningKeys,
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        const keys = await SigningKeys.create(config);
        for (const key of keys.verificationKeys) {
          cacheVerifiedTokens(key, new VerifiedTokenCache());
        }
        return keys;
      },
    },
    JwtStrategy,
    // Deny by default: every route of every module needs a token unless marked @Public().
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    // A request the access_token cookie authenticated must carry the CSRF token (403).
    { provide: APP_GUARD, useClass: CsrfGuard },
    // Runs after them (guards run in registration order), so it sees the user the JWT guard loaded.
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  // AuthCookies and CsrfCheck for token-issuing handlers of other modules (@IssuesTokens()).
  exports: [TokenService, SigningKeys, AuthCookies, CsrfCheck],
})
export class AuthModule {}
