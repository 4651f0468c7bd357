import { AfterResponse } from '../../src/account/after-response.service';
import type { RawEnvironment } from '../../src/config/env.validation';
import { MailService, type MailContent } from '../../src/mail/mail.service';
import { createTestApp, type TestApp } from './create-test-app';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  kind: string;
}

export interface MailFilter {
  to: string;
  kind?: string;
}

const WAIT_MS = 5_000;
const POLL_MS = 20;

/**
 * The mails an app sent, as its recipients read them.
 *
 * Until the mail-outbox branch is merged, MailService is a stand-in that only logs, so this
 * records what the app hands to it; at the merge it reads the mails from the SMTP sink instead,
 * with the same methods, so the tests do not change. (Not the log: nestjs-pino's root logger is
 * process-wide, so two apps in one test file would share their lines.)
 */
export class Mailbox {
  private readonly received: ReceivedMail[] = [];
  private readonly taken = new Set<ReceivedMail>();

  record(mail: MailContent): void {
    this.received.push({ ...mail });
  }

  /** Every mail that matches, taken or not. */
  all(filter: MailFilter): ReceivedMail[] {
    return this.received.filter((mail) => matches(mail, filter));
  }

  /** The oldest matching mail not returned before; waits up to 5 s for one to arrive. */
  async next(filter: MailFilter): Promise<ReceivedMail> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const mail = this.received.find((each) => !this.taken.has(each) && matches(each, filter));
      if (mail) {
        this.taken.add(mail);
        return mail;
      }
      if (Date.now() > deadline) {
        throw new Error(`No ${filter.kind ?? ''} mail to ${filter.to} within ${WAIT_MS} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}

function matches(mail: ReceivedMail, filter: MailFilter): boolean {
  return (
    mail.to.toLowerCase() === filter.to.toLowerCase() &&
    (filter.kind === undefined || mail.kind === filter.kind)
  );
}

/** The token of the mail's link: the `token=` parameter, URL-safe characters only. */
export function tokenOf(mail: ReceivedMail): string {
  const match = /token=([A-Za-z0-9_-]+)/.exec(mail.text);
  if (!match) {
    throw new Error(`No token= in the mail: ${mail.text}`);
  }
  return match[1];
}

export interface MailTestApp extends TestApp {
  mailbox: Mailbox;
  /** Waits until work started by earlier requests (forgot, resend) has finished. */
  settle: () => Promise<void>;
}

/** A test app whose mails land in a {@link Mailbox}. */
export async function createMailTestApp(env: RawEnvironment = {}): Promise<MailTestApp> {
  const mailbox = new Mailbox();
  const testApp = await createTestApp(env);
  const mail = testApp.app.get(MailService);
  const queue = mail.queue.bind(mail);
  mail.queue = async (manager, content) => {
    await queue(manager, content);
    mailbox.record(content);
  };
  const afterResponse = testApp.app.get(AfterResponse);
  return { ...testApp, mailbox, settle: () => afterResponse.settled() };
}
