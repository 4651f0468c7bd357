import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface MailContent {
  to: string;
  subject: string;
  text: string;
  html?: string;
  kind: string;
}

/**
 * TEMPORARY stand-in with the agreed signature (coord/mail-interface.md), replaced by the
 * outbox-backed MailService of the mail-outbox branch at merge. Until then it only writes the
 * mail to the log, as development without SMTP_URL will.
 */
@Injectable()
export class MailService {
  private readonly logger = new Logger(MailService.name);

  /** Queues a mail in the caller's transaction (outbox channel 'mail'). */
  queue(_manager: EntityManager, mail: MailContent): Promise<void> {
    this.logger.log({ mail }, `Mail ${mail.kind} to ${mail.to}`);
    return Promise.resolve();
  }
}
