import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import type { Readable } from 'node:stream';
import { freePort } from './built-app';

export interface ReceivedMail {
  /** The envelope, as the SMTP client gave it. */
  envelopeFrom: string;
  envelopeTo: string[];
  from: string;
  subject: string;
  text: string;
  html: string | null;
  parsed: ParsedMail;
}

interface Refusal {
  code: number;
  message: string;
}

/**
 * A real SMTP server on a loopback port, for e2e tests: collects what arrives (parsed with
 * mailparser), can refuse with a 4xx/5xx reply, hold a mail's final reply, or be stopped and
 * started again on the same port to play an outage.
 */
export class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  /** Mails whose data has arrived, accepted or still held. */
  dataReceived = 0;
  private server?: SMTPServer;
  /** Bumped by stop(): a held mail from before is dropped, as its client never got the reply. */
  private generation = 0;
  private releaseHeld?: () => void;
  private refusal?: Refusal;
  private held?: Promise<void>;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly port: number) {}

  static async start(): Promise<SmtpSink> {
    const sink = new SmtpSink(await freePort());
    await sink.resume();
    return sink;
  }

  /** What SMTP_URL should be. */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Every following mail is refused at MAIL FROM with this reply (4xx: try later), until accept(). */
  refuseWith(code: number, message = 'Refused by the test'): void {
    this.refusal = { code, message };
  }

  accept(): void {
    this.refusal = undefined;
  }

  /**
   * Mails whose data arrives from now on get their final reply only when the returned function
   * is called (never, if it is not): a slow or stuck server. They count as received only then.
   */
  hold(): () => void {
    let release!: () => void;
    this.held = new Promise<void>((resolve) => (release = resolve));
    this.releaseHeld = () => {
      this.held = undefined;
      this.releaseHeld = undefined;
      release();
    };
    return this.releaseHeld;
  }

  /** The outage: the port stops answering (open connections are cut). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.generation += 1;
    this.releaseHeld?.();
    if (server) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** Listens (again) on the same port. */
  async resume(): Promise<void> {
    if (this.server) {
      return;
    }
    const server = new SMTPServer({
      authOptional: true,
      // Plain connections on loopback: any credentials are accepted, without TLS.
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth: (auth, _session, callback) => callback(null, { user: auth.username }),
      // Cut lingering connections at once when stopped, so an outage starts when asked.
      closeTimeout: 100,
      logger: false,
      onMailFrom: (_address, _session, callback) => {
        if (this.refusal) {
          const error = new Error(this.refusal.message) as Error & { responseCode: number };
          error.responseCode = this.refusal.code;
          callback(error);
          return;
        }
        callback();
      },
      onData: (stream, session, callback) => {
        this.receive(stream, session).then(
          () => callback(),
          (error: Error) => callback(error),
        );
      },
    });
    server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async close(): Promise<void> {
    await this.stop();
  }

  /** Waits until at least `count` mails have arrived (or fails after `timeoutMs`). */
  async waitForMails(count: number, timeoutMs = 10_000): Promise<ReceivedMail[]> {
    await this.waitUntil(
      () => this.mails.length >= count,
      timeoutMs,
      () => `expected ${count} mail(s) at the sink, got ${this.mails.length}`,
    );
    return this.mails.slice(0, count);
  }

  /** Waits until the data of `count` mails has arrived, whether or not they were answered yet. */
  async waitForData(count: number, timeoutMs = 10_000): Promise<void> {
    await this.waitUntil(
      () => this.dataReceived >= count,
      timeoutMs,
      () => `expected the data of ${count} mail(s), got ${this.dataReceived}`,
    );
  }

  private async waitUntil(
    condition: () => boolean,
    timeoutMs: number,
    failure: () => string,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(failure());
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.add(done);
      });
    }
  }

  mailsTo(address: string): ReceivedMail[] {
    return this.mails.filter((mail) => mail.envelopeTo.includes(address));
  }

  private async receive(stream: Readable, session: SMTPServerSession): Promise<void> {
    const generation = this.generation;
    const parsed = await simpleParser(stream);
    this.dataReceived += 1;
    this.notify();
    if (this.held) {
      await this.held;
    }
    if (generation !== this.generation) {
      throw new Error('stopped before the reply');
    }
    const mailFrom = session.envelope.mailFrom;
    this.mails.push({
      envelopeFrom: mailFrom === false ? '' : mailFrom.address,
      envelopeTo: session.envelope.rcptTo.map((recipient) => recipient.address),
      from: parsed.from?.text ?? '',
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      html: parsed.html === false ? null : (parsed.html ?? null),
      parsed,
    });
    this.notify();
  }

  private notify(): void {
    for (const waiter of this.waiters) {
      waiter();
    }
    this.waiters.clear();
  }
}
