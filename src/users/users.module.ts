import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { SessionsModule } from '../sessions/sessions.module';
import { BootstrapAdminService } from './bootstrap-admin.service';
import { CurrentPasswordVerifier } from './current-password.verifier';
import { MeController } from './me.controller';
import { MeService } from './me.service';
import { PasswordHasher } from './password-hasher.service';
import { UserAdminService } from './user-admin.service';
import { User } from './user.entity';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User]), SessionsModule, RateLimitModule],
  controllers: [MeController, UsersController],
  providers: [
    UsersService,
    UserAdminService,
    PasswordHasher,
    CurrentPasswordVerifier,
    MeService,
    BootstrapAdminService,
  ],
  exports: [UsersService, PasswordHasher, CurrentPasswordVerifier],
})
export class UsersModule {}
