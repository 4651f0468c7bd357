import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../src/config/database-url';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { OutboxMessage } from '../src/outbox/outbox-message.entity';
import { OutboxTiming } from '../src/outbox/outbox-timing';
import { SecurityEvent } from '../src/security-events/security-event.entity';
import { WebhookChannelHandler } from '../src/webhooks/webhook-channel.handler';
import { bearer, login, type Tokens } from './support/auth-helpers';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser, type TestUser } from './support/factories/user.factory';
import { createIsolatedDatabase, type IsolatedDatabase } from './support/isolated-database';
import { WebhookReceiver } from './support/webhook-receiver';

jest.setTimeout(30_000);

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

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

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe(WebhookChannelHandler.name, () => {
  let database: IsolatedDatabase;
  let receiver: WebhookReceiver;
  let db: DataSource;
  const apps: TestApp[] = [];

  // One database for the file: every app runs an outbox sender, and apps of other files (with no
  // webhook configured) must not see these messages; restarts and two instances share it.
  beforeAll(async () => {
    [database, receiver] = await Promise.all([
      createIsolatedDatabase(),
      WebhookReceiver.start(SECRET),
    ]);
    db = new DataSource(buildDataSourceOptions(parseDatabaseUrl(database.url)!));
    await db.initialize();
  });

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((testApp) => testApp.close()));
    await receiver.up().catch(() => undefined);
    receiver.received.splice(0);
    receiver.failNextWith500(0);
    await db.getRepository(OutboxMessage).clear();
  });

  afterAll(async () => {
    await db?.destroy();
    await receiver?.down();
    await database?.drop();
  });

  const start = async (
    env: Record<string, string> = {},
    timing = fastTiming(),
  ): Promise<TestApp> => {
    const testApp = await createTestApp(
      {
        WEBHOOK_URL: receiver.url,
        WEBHOOK_SECRET: SECRET,
        AUTH_RATE_LIMIT: '10000',
        ...env,
        DATABASE_URL: database.url,
      },
      { overrideProviders: [{ provide: OutboxTiming, useValue: timing }] },
    );
    apps.push(testApp);
    return testApp;
  };

  /** The user's events as stored, oldest first. */
  const eventsOf = (userId: string): Promise<SecurityEvent[]> =>
    db.getRepository(SecurityEvent).find({ where: { userId }, order: { at: 'ASC', id: 'ASC' } });

  const acceptedFor = (userId: string) =>
    receiver.accepted().filter((payload) => payload.data.userId === userId);

  async function waitForAcceptedFor(userId: string, count: number): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (acceptedFor(userId).length < count) {
      if (Date.now() > deadline) {
        throw new Error(`${acceptedFor(userId).length} webhooks for the user, waited for ${count}`);
      }
      await sleep(25);
    }
  }

  /** login, refresh, logout: three events of one user. */
  async function threeEvents(testApp: TestApp, testUser: TestUser): Promise<void> {
    const tokens = await login(testApp, testUser);
    const refreshed = (
      await testApp
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refresh_token: tokens.refresh_token })
        .expect(200)
    ).body as Tokens;
    await testApp
      .http()
      .post('/api/v1/auth/logout')
      .set(bearer(refreshed.access_token))
      .expect(204);
  }

  it('POSTs each event signed per Standard Webhooks: {type, timestamp, data}, webhook-id the event id', async () => {
    const testApp = await start();
    const testUser = await createUser(testApp.dataSource);

    const tokens = await login(testApp, testUser);
    await receiver.waitForAccepted(1);
    const [event] = await eventsOf(testUser.user.id);
    const [delivery] = receiver.received;
    const listed = await testApp
      .http()
      .get('/api/v1/users/me/security-events')
      .set(bearer(tokens.access_token));

    expect(delivery.verified).toEqual({ ok: true, payload: expect.any(Object) });
    expect(delivery.headers['webhook-id']).toBe(event.id);
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(Number(delivery.headers['webhook-timestamp'])).toBeGreaterThanOrEqual(
      Math.floor(event.at.getTime() / 1000),
    );
    expect(delivery.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(JSON.parse(delivery.body)).toEqual({
      type: 'login.succeeded',
      timestamp: event.at.toISOString(),
      data: (listed.body as { items: unknown[] }).items[0],
    });
  });

  it('signs with the secret: a receiver holding another secret refuses the delivery', async () => {
    const testApp = await start();
    const testUser = await createUser(testApp.dataSource);
    await login(testApp, testUser);
    await receiver.waitForAccepted(1);
    const [delivery] = receiver.received;
    const { Webhook } = await import('standardwebhooks');
    const other = new Webhook(`whsec_${randomBytes(32).toString('base64')}`);

    expect(() => other.verify(delivery.body, delivery.headers as Record<string, string>)).toThrow(
      'No matching signature found',
    );
  });

  it('retries after a 500 with the same webhook-id, and counts the failure', async () => {
    const testApp = await start();
    const testUser = await createUser(testApp.dataSource);
    receiver.failNextWith500(1);

    await login(testApp, testUser);
    await receiver.waitForAccepted(1);
    const metrics = (await testApp.http().get('/metrics')).text;
    const [event] = await eventsOf(testUser.user.id);

    expect(receiver.received.map((delivery) => delivery.answered)).toEqual([500, 200]);
    expect(receiver.verifiedIds).toEqual([event.id, event.id]);
    expect(receiver.received[1].body).toBe(receiver.received[0].body);
    expect(metrics).toMatch(/^outbox_delivery_failures_total\{channel="webhook"\} 1$/m);
    expect(metrics).toMatch(/^outbox_messages_sent_total\{channel="webhook"\} 1$/m);
  });

  it('keeps events while the receiver is down, then delivers them all, in order, once each', async () => {
    const testApp = await start();
    const testUser = await createUser(testApp.dataSource);
    await receiver.down();

    await threeEvents(testApp, testUser);
    await threeEvents(testApp, testUser);
    await sleep(700);
    const during = (await testApp.http().get('/metrics')).text;
    const rows = await db.getRepository(OutboxMessage).findBy({ channel: 'webhook' });
    await receiver.up();
    await waitForAcceptedFor(testUser.user.id, 6);
    await sleep(300);
    const events = await eventsOf(testUser.user.id);

    expect(during).toMatch(/^outbox_messages_pending\{channel="webhook"\} 6$/m);
    expect(during).toMatch(/^outbox_delivery_failures_total\{channel="webhook"\} [1-9]\d*$/m);
    expect(rows.filter((row) => row.attempts > 0).length).toBeGreaterThanOrEqual(1);
    expect(acceptedFor(testUser.user.id).map((payload) => payload.data.id)).toEqual(
      events.map((event) => event.id),
    );
    expect(acceptedFor(testUser.user.id).map((payload) => payload.type)).toEqual([
      'login.succeeded',
      'token.refreshed',
      'logout',
      'login.succeeded',
      'token.refreshed',
      'logout',
    ]);
  });

  it('loses nothing when the app restarts while the receiver is down', async () => {
    const first = await start();
    const testUser = await createUser(first.dataSource);
    await receiver.down();
    await threeEvents(first, testUser);
    await sleep(300);
    await apps.splice(apps.indexOf(first), 1)[0].close();

    await receiver.up();
    await start();
    await waitForAcceptedFor(testUser.user.id, 3);
    await sleep(300);

    expect(acceptedFor(testUser.user.id).map((payload) => payload.type)).toEqual([
      'login.succeeded',
      'token.refreshed',
      'logout',
    ]);
  });

  it('delivers each event once from two instances on one database', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    const users = await Promise.all(Array.from({ length: 4 }, () => createUser(a.dataSource)));
    for (const [index, testUser] of users.entries()) {
      await threeEvents(index % 2 === 0 ? a : b, testUser);
    }

    for (const testUser of users) {
      await waitForAcceptedFor(testUser.user.id, 3);
    }
    await sleep(500);
    const ids = receiver.verifiedIds;

    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
    for (const testUser of users) {
      expect(acceptedFor(testUser.user.id).map((payload) => payload.data.id)).toEqual(
        (await eventsOf(testUser.user.id)).map((event) => event.id),
      );
    }
  });

  it('gives up after the retry period: the delivery is dead and counted', async () => {
    const testApp = await start({}, fastTiming({ deadAfterMs: 500 }));
    const testUser = await createUser(testApp.dataSource);
    receiver.failNextWith500(1000);

    await login(testApp, testUser);
    const deadline = Date.now() + 10_000;
    let row: OutboxMessage | null = null;
    while (row?.status !== 'dead' && Date.now() < deadline) {
      await sleep(50);
      row = await db.getRepository(OutboxMessage).findOneBy({ channel: 'webhook' });
    }
    const metrics = (await testApp.http().get('/metrics')).text;

    expect(row).toMatchObject({ status: 'dead', payload: null, kind: 'login.succeeded' });
    expect(row?.lastError).toContain('500');
    expect(metrics).toMatch(/^outbox_messages_dead_total\{channel="webhook"\} 1$/m);
  });

  it('queues nothing without WEBHOOK_URL and WEBHOOK_SECRET', async () => {
    const testApp = await start({ WEBHOOK_URL: '', WEBHOOK_SECRET: '' });
    const testUser = await createUser(testApp.dataSource);

    await login(testApp, testUser);
    await sleep(300);

    expect(await eventsOf(testUser.user.id)).toHaveLength(1);
    expect(await db.getRepository(OutboxMessage).countBy({ channel: 'webhook' })).toBe(0);
    expect(receiver.received).toHaveLength(0);
  });
});
