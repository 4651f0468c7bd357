import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './data-source-options';
import { inTransaction } from './in-transaction';

describe(inTransaction.name, () => {
  let directory: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'in-transaction-'));
    dataSource = await new DataSource(
      buildDataSourceOptions({ kind: 'sqlite', path: join(directory, 'db.sqlite') }),
    ).initialize();
    await dataSource.query('CREATE TABLE counter (n integer NOT NULL)');
    await dataSource.query('INSERT INTO counter (n) VALUES (0)');
  });

  afterAll(async () => {
    await dataSource.destroy();
    rmSync(directory, { recursive: true, force: true });
  });

  const pause = () => new Promise((resolve) => setTimeout(resolve, 2));

  it('runs concurrent SQLite transactions one after the other, each committing alone', async () => {
    // A read-then-write that yields in between: interleaved, increments would be lost.
    const increment = () =>
      inTransaction(dataSource, async (manager) => {
        const [{ n }] = await manager.query<[{ n: number }]>('SELECT n FROM counter');
        await pause();
        await manager.query('UPDATE counter SET n = ?', [n + 1]);
      });

    await Promise.all(Array.from({ length: 20 }, increment));

    expect(await dataSource.query('SELECT n FROM counter')).toEqual([{ n: 20 }]);
  });

  it('rolls back only the transaction that failed, and the queue goes on', async () => {
    const [{ n: before }] = await dataSource.query<[{ n: number }]>('SELECT n FROM counter');

    const results = await Promise.allSettled([
      inTransaction(dataSource, async (manager) => {
        await manager.query('UPDATE counter SET n = n + 100');
        await pause();
        throw new Error('refused');
      }),
      inTransaction(dataSource, (manager) => manager.query('UPDATE counter SET n = n + 1')),
    ]);

    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled']);
    expect(await dataSource.query('SELECT n FROM counter')).toEqual([{ n: before + 1 }]);
  });

  it("returns the work's result", async () => {
    await expect(inTransaction(dataSource, () => Promise.resolve(42))).resolves.toBe(42);
  });
});
