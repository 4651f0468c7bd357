import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AfterResponse } from '../../src/account/after-response.service';
import type { RawEnvironment } from '../../src/config/env.validation';
import { MAIL_TEMPLATES_DIRECTORY } from '../../src/mail/mail-templates';
import { createTestApp, type TestApp, type TestAppOptions } from './create-test-app';
import { createIsolatedDatabase } from './isolated-database';
import { SmtpSink, type ReceivedMail } from './smtp-sink';

export type { ReceivedMail } from './smtp-sink';

export interface MailFilter {
  to: string;
  /** The template the mail was made from (`password-reset`, ...), told apart by its subject. */
  kind?: string;
}

const WAIT_MS = 10_000;
const POLL_MS = 20;

/**
 * The mails an app delivered over SMTP, as its recipients read them: a real SMTP server on
 * loopback ({@link SmtpSink}), the app's SMTP_URL pointing at it.
 */
export class Mailbox {
  private readonly taken = new Set<ReceivedMail>();

  constructor(readonly sink: SmtpSink) {}

  /** Every mail that arrived and matches, taken or not. */
  all(filter: MailFilter): ReceivedMail[] {
    return this.sink.mails.filter((mail) => matches(mail, filter));
  }

  /** The oldest matching mail not returned before; waits up to 10 s for one to arrive. */
  async next(filter: MailFilter): Promise<ReceivedMail> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const mail = this.all(filter).find((each) => !this.taken.has(each));
      if (mail) {
        this.taken.add(mail);
        return mail;
      }
      if (Date.now() > deadline) {
        throw new Error(`No ${filter.kind ?? ''} mail to ${filter.to} within ${WAIT_MS} ms`);
      }
      await sleep(POLL_MS);
    }
  }
}

const subjects = new Map<string, string>();

/** The subject line of `templates/<kind>.txt` (none of the flows' subjects has a variable). */
function subjectOf(kind: string): string {
  let subject = subjects.get(kind);
  if (subject === undefined) {
    const source = readFileSync(join(MAIL_TEMPLATES_DIRECTORY, `${kind}.txt`), 'utf8');
    subject = /^Subject:[ \t]*(.*)$/m.exec(source)?.[1].trim() ?? '';
    subjects.set(kind, subject);
  }
  return subject;
}

function matches(mail: ReceivedMail, filter: MailFilter): boolean {
  const to = filter.to.toLowerCase();
  return (
    mail.envelopeTo.some((recipient) => recipient.toLowerCase() === to) &&
    (filter.kind === undefined || mail.subject === subjectOf(filter.kind))
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
  /**
   * Waits until the work earlier requests started after answering (forgot, resend) has
   * finished and the outbox has delivered everything it holds, bodies erased: from then on a
   * mail that is not in the mailbox was never sent.
   */
  settle: () => Promise<void>;
}

/**
 * A test app that delivers its mail over SMTP to a {@link Mailbox}. Every app runs an outbox
 * sender, so on PostgreSQL it gets a database of its own: apps of other test files would claim
 * its mails (and deliver them to their own SMTP_URL), and it theirs.
 */
export async function createMailTestApp(
  env: RawEnvironment = {},
  options: TestAppOptions = {},
): Promise<MailTestApp> {
  const sink = await SmtpSink.start();
  const database = await createIsolatedDatabase();
  let testApp: TestApp;
  try {
    testApp = await createTestApp(
      { SMTP_URL: sink.url, ...env, DATABASE_URL: database.url },
      options,
    );
  } catch (error) {
    await sink.close();
    await database.drop();
    throw error;
  }
  const afterResponse = testApp.app.get(AfterResponse);
  return {
    ...testApp,
    mailbox: new Mailbox(sink),
    settle: async () => {
      await afterResponse.settled();
      await waitForOutboxDrained(testApp);
    },
    close: async () => {
      try {
        await testApp.close();
      } finally {
        await sink.close();
        await database.drop();
      }
    },
  };
}

/** Until no mail is pending or being sent and no delivered mail keeps its body. */
async function waitForOutboxDrained(testApp: TestApp): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const rows: { count: number | string }[] = await testApp.dataSource.query(
      `SELECT COUNT(*) AS count FROM outbox_messages
        WHERE status IN ('pending', 'sending') OR payload IS NOT NULL`,
    );
    const left = Number(rows[0]?.count ?? 0);
    if (left === 0) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`${left} outbox message(s) still undelivered after ${WAIT_MS} ms`);
    }
    await sleep(POLL_MS);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
