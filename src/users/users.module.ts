import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Session } from '../sessions/session.entity';
import { SessionsModule } from '../sessions/sessions.module';
import { BootstrapAdminService } from './bootstrap-admin.service';
import { MeController } from './me.controller';
import { MeService } from './me.service';
import { PasswordHasher } from './password-hasher.service';
import { User } from './user.entity';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User, Session]), SessionsModule],
  controllers: [MeController, UsersController],
  providers: [UsersService, PasswordHasher, MeService, BootstrapAdminService],
  exports: [UsersService, PasswordHasher],
})
export class UsersModule {}
