import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import type { SecurityEvent } from './security-event.entity';
import { SecurityEventsService } from './security-events.service';

/** A data source whose transactions run `work` on a fake manager after `settle` resolves. */
function build(insert: () => Promise<void>) {
  let release!: () => void;
  const settle = new Promise<void>((resolve) => (release = resolve));
  const manager = { insert: jest.fn(insert) } as unknown as EntityManager;
  const dataSource = {
    options: { type: 'postgres' },
    transaction: jest.fn(async (work: (m: EntityManager) => Promise<unknown>) => {
      await settle;
      return work(manager);
    }),
  } as unknown as DataSource;
  const service = new SecurityEventsService({} as Repository<SecurityEvent>, dataSource);
  return { service, manager, release };
}

describe(SecurityEventsService.name, () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  describe('recordInBackground', () => {
    it('returns before the write is done, and shutdown waits for it', async () => {
      const { service, manager, release } = build(() => Promise.resolve());

      service.recordInBackground({ type: 'login.failed', userId: null });
      expect(manager.insert).not.toHaveBeenCalled();
      const shutdown = service.beforeApplicationShutdown();
      release();
      await shutdown;

      expect(manager.insert).toHaveBeenCalledTimes(1);
    });

    it('takes the event time when called, not when the write runs', async () => {
      jest.useFakeTimers({ now: new Date('2026-06-01T00:00:00.000Z') });
      try {
        const { service, manager, release } = build(() => Promise.resolve());

        service.recordInBackground({ type: 'login.locked', userId: 'u-1' });
        jest.setSystemTime(new Date('2026-06-01T00:00:05.000Z'));
        release();
        await service.beforeApplicationShutdown();

        const [, row] = (manager.insert as jest.Mock).mock.calls[0] as [unknown, SecurityEvent];
        expect(row.at.toISOString()).toBe('2026-06-01T00:00:00.000Z');
      } finally {
        jest.useRealTimers();
      }
    });

    it('logs a write that failed, with the type and the account, and throws nothing', async () => {
      const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const { service, release } = build(() => Promise.reject(new Error('database is locked')));

      service.recordInBackground({ type: 'login.failed', userId: 'user-7' });
      release();
      await service.beforeApplicationShutdown();

      expect(error).toHaveBeenCalledWith(
        expect.stringMatching(/login\.failed.*user-7.*database is locked/),
      );
    });
  });
});
