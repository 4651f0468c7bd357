import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MeSecurityEventsController } from './me-security-events.controller';
import { SecurityEvent } from './security-event.entity';
import { SecurityEventsController } from './security-events.controller';
import { SecurityEventsRetention } from './security-events-retention';
import { SecurityEventsService } from './security-events.service';

/**
 * The audit log (`security_events`). Global, as the logger is: every flow that changes
 * something security-relevant records its event through {@link SecurityEventsService}.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([SecurityEvent])],
  controllers: [MeSecurityEventsController, SecurityEventsController],
  providers: [SecurityEventsService, SecurityEventsRetention],
  exports: [SecurityEventsService],
})
export class SecurityEventsModule {}
