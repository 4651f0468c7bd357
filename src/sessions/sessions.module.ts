import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActiveUserLookup } from './active-user.lookup';
import { Session } from './session.entity';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';
import { SpentRefreshToken } from './spent-refresh-token.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Session, SpentRefreshToken])],
  controllers: [SessionsController],
  providers: [SessionsService, ActiveUserLookup],
  exports: [SessionsService, ActiveUserLookup],
})
export class SessionsModule {}
