import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AppConfig } from '../config/app-config';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtAuthGuard } from './guards/jwt-auth.guard';
import { RolesGuard } from './guards/roles.guard';
import { SigningKeys } from './signing-keys';
import { JwtStrategy } from './strategies/jwt.strategy';
import { LocalStrategy } from './strategies/local.strategy';
import { TokenService } from './token.service';

@Module({
  imports: [
    UsersModule,
    SessionsModule,
    RateLimitModule,
    PassportModule,
    // Keys and options are passed on each sign by TokenService, from SigningKeys.
    JwtModule.register({}),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    TokenService,
    {
      provide: SigningKeys,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => SigningKeys.create(config),
    },
    LocalStrategy,
    JwtStrategy,
    // Deny by default: every route of every module needs a token unless marked @Public().
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    // Runs second (guards run in registration order), so it sees the user the JWT guard loaded.
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [AuthService, TokenService, SigningKeys],
})
export class AuthModule {}
