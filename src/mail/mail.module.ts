import { Global, Module } from '@nestjs/common';
import { MailChannelHandler } from './mail-channel.handler';
import { MailService } from './mail.service';

/** Mail through the outbox: {@link MailService} queues, {@link MailChannelHandler} sends. */
@Global()
@Module({
  providers: [MailService, MailChannelHandler],
  exports: [MailService],
})
export class MailModule {}
