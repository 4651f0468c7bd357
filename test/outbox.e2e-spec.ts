import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { IsEmail, IsString } from 'class-validator';
import { DataSource } from 'typeorm';
import { Public } from '../src/auth/decorators/public.decorator';
import { parseDatabaseUrl } from '../src/config/database-url';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { MailService, type MailContent } from '../src/mail/mail.service';
import { OutboxMessage } from '../src/outbox/outbox-message.entity';
import { OutboxSender } from '../src/outbox/outbox-sender';
import { OutboxService } from '../src/outbox/outbox.service';
import { OutboxTiming } from '../src/outbox/outbox-timing';
import { createTestApp, type TestApp, type TestAppOptions } from './support/create-test-app';
import { uniqueName } from './support/factories/user.factory';
import { createIsolatedDatabase, type IsolatedDatabase } from './support/isolated-database';
import { SmtpSink } from './support/smtp-sink';
import { usingPostgres } from './support/test-database';

jest.setTimeout(30_000);

/** Shorter than the contract's so the file runs in seconds; the delays still double and cap. */
function fastTiming(overrides: Partial<OutboxTiming> = {}): OutboxTiming {
  return Object.assign(new OutboxTiming(), {
    pollIntervalMs: 100,
    firstRetryDelayMs: 100,
    maxRetryDelayMs: 300,
    shutdownGraceMs: 3000,
    ...overrides,
  });
}

class SendTestMailDto {
  @IsEmail()
  to!: string;

  @IsString()
  text!: string;
}

/** A request that queues a mail in its transaction, as the account flows do. */
@Controller('test-mail')
class TestMailController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mail: MailService,
  ) {}

  @Public()
  @Post()
  @HttpCode(202)
  async send(@Body() body: SendTestMailDto): Promise<{ queued: true }> {
    await this.dataSource.transaction((manager) =>
      this.mail.queue(manager, { to: body.to, subject: 'Test', text: body.text, kind: 'test' }),
    );
    return { queued: true };
  }
}

@Module({ controllers: [TestMailController] })
class TestMailModule {}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function mailFor(to: string, overrides: Partial<MailContent> = {}): MailContent {
  return {
    to,
    subject: `Reset for ${to}`,
    text: `Open http://localhost:3000/reset-password?token=tok_${to.split('@')[0]} to reset.`,
    html: '<p>Open the link</p>',
    kind: 'password-reset',
    ...overrides,
  };
}

const address = (): string => `${uniqueName('mail')}@example.com`;

async function queue(testApp: TestApp, mail: MailContent): Promise<void> {
  await testApp.dataSource.transaction((manager) =>
    testApp.app.get(MailService).queue(manager, mail),
  );
}

let db: DataSource;

/** Read through a connection of the test's own, which outlives the apps. */
async function rowFor(recipient: string): Promise<OutboxMessage> {
  return db.getRepository(OutboxMessage).findOneByOrFail({ recipient });
}

async function waitForRow(
  recipient: string,
  condition: (row: OutboxMessage) => boolean,
  timeoutMs = 5000,
): Promise<OutboxMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await rowFor(recipient);
    if (condition(row)) {
      return row;
    }
    if (Date.now() > deadline) {
      throw new Error(`outbox row for ${recipient} stayed ${row.status} (${row.attempts} tries)`);
    }
    await sleep(50);
  }
}

describe(OutboxSender.name, () => {
  let database: IsolatedDatabase;
  let sink: SmtpSink;
  const apps: TestApp[] = [];

  // Every app of this file shares one database of its own: on PostgreSQL the run's database is
  // shared with other files, whose apps (logging mail, no SMTP_URL) would take these messages.
  beforeAll(async () => {
    [database, sink] = await Promise.all([createIsolatedDatabase(), SmtpSink.start()]);
    db = new DataSource(buildDataSourceOptions(parseDatabaseUrl(database.url)!));
    await db.initialize();
  });

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((testApp) => testApp.close()));
    sink.accept();
    await sink.resume();
    // Each test starts from an empty outbox, so counts and gauges are its own.
    await db.getRepository(OutboxMessage).clear();
  });

  afterAll(async () => {
    await db?.destroy();
    await sink?.close();
    await database?.drop();
  });

  const start = async (
    env: Record<string, string> = {},
    options: TestAppOptions & { timing?: OutboxTiming } = {},
  ): Promise<TestApp> => {
    const { timing = fastTiming(), ...rest } = options;
    const testApp = await createTestApp(
      {
        SMTP_URL: sink.url,
        MAIL_FROM: 'Example <no-reply@example.com>',
        ...env,
        DATABASE_URL: database.url,
      },
      { ...rest, overrideProviders: [{ provide: OutboxTiming, useValue: timing }] },
    );
    apps.push(testApp);
    return testApp;
  };

  const closeApp = async (testApp: TestApp): Promise<void> => {
    apps.splice(apps.indexOf(testApp), 1);
    await testApp.close();
  };

  describe('delivery over SMTP', () => {
    it('hands a mail to SMTP within 5 s of its commit, with the configured From', async () => {
      // The contract's own timing: 1 s polls; the commit wakes the sender sooner.
      const testApp = await start({}, { timing: new OutboxTiming() });
      const to = address();
      const committedAt = Date.now();
      await queue(testApp, mailFor(to));

      await sink.waitForMails(sink.mails.length + 1, 5000);
      const elapsedMs = Date.now() - committedAt;
      const [mail] = sink.mailsTo(to);

      expect(elapsedMs).toBeLessThan(5000);
      expect(mail.envelopeTo).toEqual([to]);
      expect(mail.parsed.from?.value).toEqual([
        { name: 'Example', address: 'no-reply@example.com' },
      ]);
      expect(mail.subject).toBe(`Reset for ${to}`);
      expect(mail.text.trim()).toBe(mailFor(to).text);
      expect(mail.html).toContain('<p>Open the link</p>');
    });

    it('sends nothing for a transaction that rolled back', async () => {
      const testApp = await start();
      const rolledBack = address();
      const committed = address();
      await expect(
        testApp.dataSource.transaction(async (manager) => {
          await testApp.app.get(MailService).queue(manager, mailFor(rolledBack));
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      await queue(testApp, mailFor(committed));

      await waitForRow(committed, (row) => row.status === 'sent');
      await sleep(300);

      expect(sink.mailsTo(committed)).toHaveLength(1);
      expect(sink.mailsTo(rolledBack)).toHaveLength(0);
      expect(
        await testApp.dataSource.getRepository(OutboxMessage).countBy({ recipient: rolledBack }),
      ).toBe(0);
    });

    it('erases the body once delivered, keeping recipient, kind, times and attempts', async () => {
      const testApp = await start();
      const to = address();
      await queue(testApp, mailFor(to));

      const row = await waitForRow(to, (candidate) => candidate.status === 'sent');

      expect(row).toMatchObject({
        channel: 'mail',
        kind: 'password-reset',
        recipient: to,
        payload: null,
        attempts: 1,
        lastError: null,
        lockedUntil: null,
      });
      expect(row.sentAt).toBeInstanceOf(Date);
      expect(row.sentAt!.getTime()).toBeGreaterThanOrEqual(row.createdAt.getTime());
      const raw = await db.query<Record<string, unknown>[]>(
        `SELECT * FROM outbox_messages WHERE recipient = ${usingPostgres() ? '$1' : '?'}`,
        [to],
      );
      expect(JSON.stringify(raw)).not.toContain('tok_');
    });

    it('answers the request that queued a mail while SMTP is down, and stays ready', async () => {
      const testApp = await start({}, { imports: [TestMailModule] });
      await sink.stop();
      const to = address();

      const queued = await testApp.http().post('/api/v1/test-mail').send({ to, text: 'hello' });
      await waitForRow(to, (row) => row.attempts >= 1 && row.status === 'pending');
      const health = await testApp.http().get('/api/v1/health');

      expect(queued.status).toBe(202);
      expect(health.status).toBe(200);
    });
  });

  describe('SMTP failures', () => {
    it('keeps retrying while SMTP is down and delivers once when it is back', async () => {
      const testApp = await start({
        SMTP_URL: `smtp://user:hunter2-secret@127.0.0.1:${sink.port}`,
      });
      await sink.stop();
      const to = address();
      await queue(testApp, mailFor(to));

      const failing = await waitForRow(to, (row) => row.attempts >= 3 && row.status === 'pending');
      await sink.resume();
      await waitForRow(to, (row) => row.status === 'sent');
      await sleep(400);

      expect(failing.status).toBe('pending');
      expect(failing.lastError).toEqual(expect.any(String));
      expect(failing.lastError).not.toContain('hunter2');
      expect(failing.payload).not.toBeNull();
      expect(sink.mailsTo(to)).toHaveLength(1);
    });

    it('retries a 4xx refusal with growing delays and counts it in the metrics', async () => {
      const testApp = await start();
      sink.refuseWith(451, 'Try again later');
      const to = address();
      await queue(testApp, mailFor(to));

      const refused = await waitForRow(to, (row) => row.attempts >= 2);
      const during = (await testApp.http().get('/metrics')).text;
      sink.accept();
      await waitForRow(to, (row) => row.status === 'sent', 3000);
      const after = (await testApp.http().get('/metrics')).text;

      expect(refused.lastError).toContain('451');
      expect(during).toMatch(/^outbox_messages_pending\{channel="mail"\} 1$/m);
      expect(during).toMatch(/^outbox_delivery_failures_total\{channel="mail"\} [1-9]\d*$/m);
      expect(during).toMatch(/^outbox_messages_sent_total\{channel="mail"\} 0$/m);
      expect(after).toMatch(/^outbox_messages_pending\{channel="mail"\} 0$/m);
      expect(after).toMatch(/^outbox_messages_sent_total\{channel="mail"\} 1$/m);
      expect(sink.mailsTo(to)).toHaveLength(1);
    });

    it('marks a mail dead after the retry period, erasing its body', async () => {
      const testApp = await start({}, { timing: fastTiming({ deadAfterMs: 500 }) });
      sink.refuseWith(550, 'No such user here');
      const to = address();
      await queue(testApp, mailFor(to));

      const dead = await waitForRow(to, (row) => row.status === 'dead');
      const metrics = (await testApp.http().get('/metrics')).text;

      expect(dead.payload).toBeNull();
      expect(dead.attempts).toBeGreaterThanOrEqual(2);
      expect(dead.lastError).toContain('550');
      expect(metrics).toMatch(/^outbox_messages_dead_total\{channel="mail"\} 1$/m);
      expect(sink.mailsTo(to)).toHaveLength(0);
    });

    it('delivers once after a restart during an outage', async () => {
      const first = await start();
      await sink.stop();
      const to = address();
      await queue(first, mailFor(to));
      await waitForRow(to, (row) => row.attempts >= 1);
      await closeApp(first);

      await sink.resume();
      await start();
      await waitForRow(to, (row) => row.status === 'sent');
      await sleep(400);

      expect(sink.mailsTo(to)).toHaveLength(1);
    });
  });

  describe('shutdown', () => {
    it('lets a delivery in flight finish on close: the mail is neither lost nor sent again', async () => {
      const first = await start();
      const release = sink.hold();
      const to = address();
      await queue(first, mailFor(to));
      await sink.waitForData(sink.dataReceived + 1);

      const closing = closeApp(first);
      await sleep(200);
      release();
      await closing;
      await start();
      await sleep(500);

      expect(sink.mailsTo(to)).toHaveLength(1);
      expect((await rowFor(to)).status).toBe('sent');
    });

    it('releases a delivery stuck past the grace period, so the next instance sends it once', async () => {
      const first = await start({}, { timing: fastTiming({ shutdownGraceMs: 200 }) });
      sink.hold();
      const to = address();
      await queue(first, mailFor(to));
      await sink.waitForData(sink.dataReceived + 1);

      await closeApp(first);
      const released = await rowFor(to);
      // The stuck connection is cut (its mail never got a reply, so it was not accepted).
      await sink.stop();
      await sink.resume();
      await start();
      await waitForRow(to, (row) => row.status === 'sent');
      await sleep(300);

      expect(released).toMatchObject({ status: 'pending', claimedBy: null });
      expect(sink.mailsTo(to)).toHaveLength(1);
    });
  });

  describe('several instances', () => {
    it('delivers each of many mails exactly once from two instances on one database', async () => {
      const [a, b] = await Promise.all([start(), start()]);
      const recipients = Array.from({ length: 24 }, () => address());
      // One after another: TypeORM's SQLite driver runs one transaction at a time per app.
      for (const [index, to] of recipients.entries()) {
        await queue(index % 2 === 0 ? a : b, mailFor(to));
      }

      await Promise.all(
        recipients.map((to) => waitForRow(to, (row) => row.status === 'sent', 10_000)),
      );
      await sleep(500);

      for (const to of recipients) {
        expect(sink.mailsTo(to)).toHaveLength(1);
      }
      const rows = await a.dataSource
        .getRepository(OutboxMessage)
        .findBy(recipients.map((recipient) => ({ recipient })));
      expect(rows.every((row) => row.attempts === 1)).toBe(true);
      expect(new Set(rows.map((row) => row.claimedBy)).size).toBeGreaterThanOrEqual(1);
    });

    it('delivers messages sharing an ordering key in order, one at a time', async () => {
      const testApp = await start();
      await sink.stop();
      const key = uniqueName('order');
      const recipients = [address(), address(), address()];
      for (const to of recipients) {
        await testApp.dataSource.transaction((manager) =>
          testApp.app.get(OutboxService).enqueue(manager, {
            channel: 'mail',
            orderingKey: key,
            recipient: to,
            kind: 'ordered',
            payload: { ...mailFor(to) },
          }),
        );
      }
      await waitForRow(recipients[0], (row) => row.attempts >= 2);
      const waiting = await Promise.all(recipients.slice(1).map((to) => rowFor(to)));
      await sink.resume();
      await waitForRow(recipients[2], (row) => row.status === 'sent');

      expect(waiting.map((row) => row.attempts)).toEqual([0, 0]);
      const arrived = sink.mails
        .filter((mail) => recipients.includes(mail.envelopeTo[0]))
        .map((mail) => mail.envelopeTo[0]);
      expect(arrived).toEqual(recipients);
    });
  });
});
