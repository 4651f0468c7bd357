import { Logger, type DynamicModule } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { buildDataSourceOptions } from '../database/data-source-options';
import { SecurityEventsModule } from '../security-events/security-events.module';
import type { SecurityEventsService } from '../security-events/security-events.service';
import { Role } from '../users/role.enum';
import { User } from '../users/user.entity';
import type { ActiveUserLookup } from './active-user.lookup';
import { Session } from './session.entity';
import { SessionsModule } from './sessions.module';
import { PURGE_GRACE_MS, PURGE_INTERVAL_MS, SessionsService } from './sessions.service';
import type { SpentRefreshToken } from './spent-refresh-token.entity';

const START = new Date('2026-01-01T00:00:00.000Z').getTime();
const CLIENT = { ip: '203.0.113.7', userAgent: 'jest' };
const CREDENTIAL = { userId: 'user-1', passwordHash: 'verified-hash' };

/** Only what open() and purgeDead() touch; the rest of the service is covered end to end. */
function build(deleteImpl: () => Promise<{ affected?: number }>, sessionMaxAgeSeconds = 86400) {
  // The conditional insert's one statement (session-insert.ts), answered as SQLite would.
  const insert = jest.fn(() => Promise.resolve([{ id: 'inserted' }]));
  const sessions = {
    create: (values: Partial<Session>) => values as Session,
    delete: jest.fn(deleteImpl),
    manager: {
      query: insert,
      connection: {
        options: { type: 'better-sqlite3' },
        driver: { preparePersistentValue: (value: unknown) => value },
        getMetadata: () => ({ findColumnWithPropertyName: () => ({}) }),
      },
    },
  };
  const config = AppConfig.from({
    jwt: { refreshTtlSeconds: 3600, sessionMaxAgeSeconds },
  } as unknown as Omit<AppConfig, 'isProduction'>);
  const service = new SessionsService(
    sessions as unknown as Repository<Session>,
    {} as Repository<SpentRefreshToken>,
    {} as ActiveUserLookup,
    config,
    {} as SecurityEventsService,
    {} as DataSource,
  );
  return { service, sessions, insert };
}

describe(SessionsService.name, () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: START });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  describe('open', () => {
    it('purges dead sessions at the first login, then at most once per interval', async () => {
      const { service, sessions, insert } = build(() => Promise.resolve({ affected: 0 }));

      await service.open(CREDENTIAL, CLIENT);
      jest.setSystemTime(START + PURGE_INTERVAL_MS - 1);
      await service.open(CREDENTIAL, CLIENT);
      expect(sessions.delete).toHaveBeenCalledTimes(1);

      jest.setSystemTime(START + PURGE_INTERVAL_MS);
      await service.open(CREDENTIAL, CLIENT);
      expect(sessions.delete).toHaveBeenCalledTimes(2);
      expect(insert).toHaveBeenCalledTimes(3);
    });

    it('still opens the session when the purge fails, and waits an interval before retrying', async () => {
      const { service, sessions } = build(() => Promise.reject(new Error('database is locked')));
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);

      const first = await service.open(CREDENTIAL, CLIENT);
      const second = await service.open(CREDENTIAL, CLIENT);

      expect(first?.refreshToken).toEqual(expect.any(String));
      expect(second?.session.userId).toBe('user-1');
      expect(sessions.delete).toHaveBeenCalledTimes(1);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('database is locked'));
      warn.mockRestore();
    });

    it('sets the expiry one refresh TTL after the login', async () => {
      const { service } = build(() => Promise.resolve({ affected: 0 }));

      const issued = await service.open(CREDENTIAL, CLIENT);

      const session = issued!.session;
      expect(session.expiresAt.getTime()).toBe(START + 3600 * 1000);
      expect(session.createdAt.getTime()).toBe(START);
      expect(session.revokedAt).toBeNull();
    });
    it('ends the session at the max age when that comes before the refresh TTL', async () => {
      const { service } = build(() => Promise.resolve({ affected: 0 }), 60);

      const issued = await service.open(CREDENTIAL, CLIENT);

      expect(issued?.session.expiresAt.getTime()).toBe(START + 60 * 1000);
    });
  });

  describe('purgeDead', () => {
    it('deletes sessions expired or revoked before the grace period, and reports the count', async () => {
      const { service, sessions } = build(() => Promise.resolve({ affected: 4 }));

      const purged = await service.purgeDead(new Date(START));

      expect(purged).toBe(4);
      const [criteria] = sessions.delete.mock.calls[0] as unknown as [
        { expiresAt?: { value: Date }; revokedAt?: { value: Date } }[],
      ];
      const cutoff = START - PURGE_GRACE_MS;
      expect(criteria).toHaveLength(2);
      expect(criteria[0].expiresAt?.value.getTime()).toBe(cutoff);
      expect(criteria[1].revokedAt?.value.getTime()).toBe(cutoff);
    });
  });
});

/**
 * The doors other modules use, on a real SQLite database with the migrations applied. TypeORM
 * gives SQLite one connection, on which any statement joins an open transaction; the caller's
 * transaction therefore runs on a second connection to the same file, as a pooled PostgreSQL
 * connection would, so that a revoke ignoring the caller's manager would commit on its own.
 */
describe(`${SessionsService.name} doors`, () => {
  let directory: string;
  let moduleRef: TestingModule;
  let dataSource: DataSource;
  let caller: DataSource;
  let service: SessionsService;

  const configModule: DynamicModule = {
    module: class TestConfigModule {},
    global: true,
    providers: [
      {
        provide: AppConfig,
        useValue: AppConfig.from({
          jwt: { refreshTtlSeconds: 3600, sessionMaxAgeSeconds: 86400 },
          auditRetentionSeconds: 86400,
        } as unknown as Omit<AppConfig, 'isProduction'>),
      },
    ],
    exports: [AppConfig],
  };

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'sessions-doors-'));
    const options = buildDataSourceOptions({ kind: 'sqlite', path: join(directory, 'db.sqlite') });
    moduleRef = await Test.createTestingModule({
      imports: [
        configModule,
        TypeOrmModule.forRoot({ ...options, migrationsRun: true }),
        SecurityEventsModule,
        SessionsModule,
      ],
    }).compile();
    dataSource = moduleRef.get(DataSource);
    service = moduleRef.get(SessionsService);
    caller = await new DataSource(options).initialize();
  });

  afterAll(async () => {
    await caller.destroy();
    await moduleRef.close();
    rmSync(directory, { recursive: true, force: true });
  });

  async function userWithSessions(count: number): Promise<string> {
    const user = await dataSource.getRepository(User).save({
      id: randomUUID(),
      email: `${randomUUID()}@example.com`,
      username: `u${randomUUID().slice(0, 8)}`,
      fullName: null,
      passwordHash: 'not-a-real-hash',
      isActive: true,
      roles: [Role.User],
    });
    for (let index = 0; index < count; index++) {
      await service.open({ userId: user.id, passwordHash: user.passwordHash }, CLIENT);
    }
    return user.id;
  }

  describe('revokeAllForUser', () => {
    it("leaves the sessions live when the caller's transaction rolls back", async () => {
      const userId = await userWithSessions(2);

      const work = caller.transaction(async (manager) => {
        await service.revokeAllForUser(userId, manager);
        throw new Error('the caller changed its mind');
      });

      await expect(work).rejects.toThrow('the caller changed its mind');
      expect(await service.listLive(userId)).toHaveLength(2);
    });

    it("ends every session of the user, and only theirs, when the caller's transaction commits", async () => {
      const userId = await userWithSessions(2);
      const otherId = await userWithSessions(1);

      await caller.transaction((manager) => service.revokeAllForUser(userId, manager));

      expect(await service.listLive(userId)).toEqual([]);
      expect(await service.listLive(otherId)).toHaveLength(1);
      const revoked = await dataSource.getRepository(Session).findBy({ userId });
      expect(revoked.map((session) => session.revokedAt)).toEqual([
        expect.any(Date),
        expect.any(Date),
      ]);
    });

    it('ends the sessions at once without a transaction', async () => {
      const userId = await userWithSessions(1);

      await service.revokeAllForUser(userId);

      expect(await service.listLive(userId)).toEqual([]);
    });
  });

  describe('countLive', () => {
    it('counts the sessions neither revoked nor expired', async () => {
      const before = await service.countLive();
      const userId = await userWithSessions(3);
      const [revoked, expired] = await service.listLive(userId);
      await service.revoke(revoked.id);
      await dataSource
        .getRepository(Session)
        .update({ id: expired.id }, { expiresAt: new Date(Date.now() - 1000) });

      expect(await service.countLive()).toBe(before + 1);
    });
  });
});
