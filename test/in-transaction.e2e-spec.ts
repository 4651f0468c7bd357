import type { EntityManager } from 'typeorm';
import { inTransaction } from '../src/database/in-transaction';
import { User } from '../src/users/user.entity';
import { createTestApp, type TestApp } from './support/create-test-app';
import { createUser } from './support/factories/user.factory';
import { usingPostgres } from './support/test-database';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe(inTransaction.name, () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  const newUserId = async (): Promise<string> => (await createUser(testApp.dataSource)).user.id;
  const fullNameOf = async (id: string): Promise<string | null> =>
    (await testApp.dataSource.getRepository(User).findOneByOrFail({ id })).fullName;

  /** Two writes with a pause between them, so that another transaction can ask for its turn. */
  const slowRename = async (manager: EntityManager, id: string, name: string): Promise<void> => {
    await manager.update(User, { id }, { fullName: `${name} (half)` });
    await sleep(30);
    await manager.update(User, { id }, { fullName: name });
  };

  // What the runner is for: on SQLite's single connection plain concurrent transactions
  // collide; PostgreSQL gives each its own connection. If a TypeORM upgrade makes SQLite
  // behave, this test says so and inTransaction's SQLite queue can go.
  it(`plain concurrent transactions ${usingPostgres() ? 'both commit' : 'collide'} on this database`, async () => {
    const [first, second] = [await newUserId(), await newUserId()];

    const outcomes = await Promise.allSettled([
      testApp.dataSource.transaction((manager) => slowRename(manager, first, 'First')),
      testApp.dataSource.transaction((manager) => slowRename(manager, second, 'Second')),
    ]);

    const failures = outcomes.filter((outcome) => outcome.status === 'rejected').length;
    if (usingPostgres()) {
      expect(failures).toBe(0);
    } else {
      expect(failures).toBeGreaterThan(0);
    }
  });

  it('commits concurrent transactions one after the other, each with all its writes', async () => {
    const ids = await Promise.all(Array.from({ length: 5 }, () => newUserId()));

    await Promise.all(
      ids.map((id, index) =>
        inTransaction(testApp.dataSource, (manager) => slowRename(manager, id, `Name ${index}`)),
      ),
    );

    expect(await Promise.all(ids.map(fullNameOf))).toEqual(ids.map((_, index) => `Name ${index}`));
  });

  it('rolls back a failed transaction without taking a concurrent one with it', async () => {
    const [failing, committing] = [await newUserId(), await newUserId()];

    const outcomes = await Promise.allSettled([
      inTransaction(testApp.dataSource, async (manager) => {
        await slowRename(manager, failing, 'Never');
        throw new Error('the change failed');
      }),
      inTransaction(testApp.dataSource, (manager) => slowRename(manager, committing, 'Kept')),
    ]);

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'fulfilled']);
    expect(await fullNameOf(failing)).toBeNull();
    expect(await fullNameOf(committing)).toBe('Kept');
  });

  it('keeps serving after a failed turn', async () => {
    const id = await newUserId();
    await expect(
      inTransaction(testApp.dataSource, () => Promise.reject(new Error('at once'))),
    ).rejects.toThrow();

    await inTransaction(testApp.dataSource, (manager) =>
      manager.update(User, { id }, { fullName: 'After' }),
    );

    expect(await fullNameOf(id)).toBe('After');
  });
});
