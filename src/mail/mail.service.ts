import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxService } from '../outbox/outbox.service';

/** A mail as producers write it; `kind` names it in the outbox after its body is erased. */
export interface MailContent {
  to: string;
  subject: string;
  text: string;
  html?: string;
  kind: string;
}

/** The mail producers' side: mail leaves through the outbox, never straight to SMTP. */
@Injectable()
export class MailService {
  constructor(private readonly outbox: OutboxService) {}

  /** Queues a mail in the caller's transaction (outbox channel `mail`). */
  queue(manager: EntityManager, mail: MailContent): Promise<void> {
    return this.outbox.enqueue(manager, {
      channel: 'mail',
      orderingKey: null,
      recipient: mail.to,
      kind: mail.kind,
      payload: { ...mail },
    });
  }
}
