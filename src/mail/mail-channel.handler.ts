import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { AppConfig } from '../config/app-config';
import {
  OutboxChannels,
  type OutboxChannelHandler,
  type OutboxDelivery,
} from '../outbox/outbox-channels';
import type { MailContent } from './mail.service';

// Bounds one delivery well inside the sender's shutdown grace and claim lease, so a stalled
// SMTP server turns into a retry rather than a message held for minutes.
const SMTP_TIMEOUTS = { connectionTimeout: 5000, greetingTimeout: 5000, socketTimeout: 10_000 };

/**
 * The outbox's `mail` channel: nodemailer's SMTP transport to SMTP_URL. Without SMTP_URL,
 * development and test write each mail (text included) to the log and count it delivered;
 * production keeps it pending in the outbox until SMTP_URL is configured.
 */
@Injectable()
export class MailChannelHandler
  implements OutboxChannelHandler, OnModuleInit, OnApplicationShutdown
{
  readonly channel = 'mail' as const;
  private readonly logger = new Logger('Mail');
  private readonly transport?: Transporter;

  constructor(
    private readonly config: AppConfig,
    private readonly channels: OutboxChannels,
  ) {
    const smtpUrl = config.mail.smtpUrl;
    // One connection per mail (no pool): nothing to keep alive while idle, and a restarted SMTP
    // server is simply reached by the next try.
    this.transport = smtpUrl ? createTransport({ url: smtpUrl, ...SMTP_TIMEOUTS }) : undefined;
  }

  get enabled(): boolean {
    return this.transport !== undefined || !this.config.isProduction;
  }

  onModuleInit(): void {
    this.channels.register(this);
    if (!this.transport && this.config.isProduction) {
      this.logger.warn('SMTP_URL is not set: mail stays in the outbox undelivered until it is');
    }
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }

  async deliver(message: OutboxDelivery): Promise<void> {
    const mail = message.payload as unknown as MailContent;
    if (!this.transport) {
      // Development only: the log is the mailbox, so a reset link can be copied from it.
      this.logger.log(
        `Mail ${message.kind} to ${message.recipient}: ${mail.subject}\n${mail.text}`,
      );
      return;
    }
    await this.transport.sendMail({
      from: this.config.mail.from,
      to: message.recipient,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
    });
  }
}
