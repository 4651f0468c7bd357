import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import { MailChannelHandler } from '../src/mail/mail-channel.handler';
import { MailService } from '../src/mail/mail.service';
import { OutboxMessage } from '../src/outbox/outbox-message.entity';
import { OutboxTiming } from '../src/outbox/outbox-timing';
import { createTestApp, type TestApp } from './support/create-test-app';
import { uniqueName } from './support/factories/user.factory';
import { createIsolatedDatabase, type IsolatedDatabase } from './support/isolated-database';

jest.setTimeout(30_000);

/** Every JSON line the apps write. nestjs-pino keeps the first app's destination per process. */
class CapturedLogs implements DestinationStream {
  text = '';

  write(line: string): void {
    this.text += line;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe(`${MailChannelHandler.name} without SMTP_URL`, () => {
  const logs = new CapturedLogs();
  let database: IsolatedDatabase;
  let testApp: TestApp | undefined;

  beforeAll(async () => {
    database = await createIsolatedDatabase();
  });

  afterEach(async () => {
    await testApp?.close();
    testApp = undefined;
  });

  afterAll(async () => {
    await database?.drop();
  });

  const start = (env: Record<string, string>): Promise<TestApp> =>
    createTestApp(
      { ...env, SMTP_URL: '', DATABASE_URL: database.url },
      {
        logDestination: logs,
        overrideProviders: [
          {
            provide: OutboxTiming,
            useValue: Object.assign(new OutboxTiming(), { pollIntervalMs: 100 }),
          },
        ],
      },
    );

  const queue = (app: TestApp, to: string, text: string): Promise<void> =>
    app.dataSource.transaction((manager) =>
      app.app
        .get(MailService)
        .queue(manager, { to, subject: 'Your link', text, kind: 'password-reset' }),
    );

  const row = (app: TestApp, recipient: string): Promise<OutboxMessage> =>
    app.app.get(DataSource).getRepository(OutboxMessage).findOneByOrFail({ recipient });

  it('writes each mail, its text included, to the log in development and marks it sent', async () => {
    testApp = await start({ NODE_ENV: 'development', LOG_LEVEL: 'info' });
    const to = `${uniqueName('dev')}@example.com`;
    const text = `Open http://localhost:3000/reset-password?token=${uniqueName('tok')} to reset.`;

    await queue(testApp, to, text);
    const deadline = Date.now() + 5000;
    while ((await row(testApp, to)).status !== 'sent' && Date.now() < deadline) {
      await sleep(50);
    }

    const line = logs.text.split('\n').find((candidate) => candidate.includes(to));
    expect((await row(testApp, to)).status).toBe('sent');
    expect(line).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({ level: 30, context: 'Mail' });
    expect(line).toContain(JSON.stringify(text).slice(1, -1));
    expect(logs.text).not.toContain('SMTP_URL is not set');
  });

  it('warns at start-up in production and keeps the mail pending in the outbox', async () => {
    const before = logs.text.length;
    testApp = await start({ NODE_ENV: 'production', BCRYPT_COST: '10', LOG_LEVEL: 'info' });
    const to = `${uniqueName('prod')}@example.com`;

    await queue(testApp, to, 'Open the link.');
    await sleep(600);

    const startup = logs.text.slice(before);
    expect(startup).toContain('SMTP_URL is not set: mail stays in the outbox');
    expect(startup).not.toContain(to);
    expect(await row(testApp, to)).toMatchObject({
      status: 'pending',
      attempts: 0,
      lockedUntil: null,
    });
    expect((await row(testApp, to)).payload).toContain('Open the link.');
  });
});
