import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AppConfig } from '../config/app-config';
import { MfaModule } from '../mfa/mfa.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtAuthGuard } from './guards/jwt-auth.guard';
import { RolesGuard } from './guards/roles.guard';
import { ACCESS_TOKEN_ALGORITHM, ACCESS_TOKEN_VERIFY_KEY, createSigningKey } from './signing-key';
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
    MfaModule,
    PassportModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const key = createSigningKey(config);
        return {
          privateKey: key,
          publicKey: key,
          signOptions: {
            algorithm: ACCESS_TOKEN_ALGORITHM,
            expiresIn: config.jwt.accessTtlSeconds,
            issuer: config.jwt.issuer,
            audience: config.jwt.audience,
          },
          verifyOptions: {
            algorithms: [ACCESS_TOKEN_ALGORITHM],
            issuer: config.jwt.issuer,
            audience: config.jwt.audience,
          },
        };
      },
    }),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    TokenService,
    LocalStrategy,
    // The one shortcut on the guarded path (bench/README.md, step 5): jsonwebtoken's check was a
    // quarter of a request's CPU, for an answer that depends only on the token text and this key.
    // So passport-jwt's verifier (its static `Strategy.JwtVerifier`) remembers tokens it verified
    // with this key, re-checking exp/nbf on every hit; the session and the user are still read
    // on every request, so revocation and disabling apply at once. JwtStrategy verifies with it.
    {
      provide: ACCESS_TOKEN_VERIFY_KEY,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        cacheVerifiedTokens(createSigningKey(config), new VerifiedTokenCache()),
    },
    JwtStrategy,
    // Deny by default: every route of every module needs a token unless marked @Public().
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    // Runs second (guards run in registration order), so it sees the user the JWT guard loaded.
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
})
export class AuthModule {}
