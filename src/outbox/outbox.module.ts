import { Global, Module } from '@nestjs/common';
import { OutboxChannels } from './outbox-channels';
import { OutboxCommitWakeup } from './outbox-commit-wakeup';
import { OutboxMetrics } from './outbox-metrics';
import { OutboxSender } from './outbox-sender';
import { OutboxService } from './outbox.service';
import { OutboxStore } from './outbox-store';
import { OutboxTiming } from './outbox-timing';

/**
 * The transactional outbox (`outbox_messages`): producers enqueue in their own transaction, the
 * sender delivers through the handler each channel's module registers with {@link OutboxChannels}.
 */
@Global()
@Module({
  providers: [
    OutboxTiming,
    OutboxStore,
    OutboxChannels,
    OutboxMetrics,
    OutboxSender,
    OutboxCommitWakeup,
    OutboxService,
  ],
  exports: [OutboxService, OutboxChannels],
})
export class OutboxModule {}
