import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../src/config/database-url';
import { buildDataSourceOptions, MIGRATIONS } from '../src/database/data-source-options';
import { AddNormalizedIdentities1764150000010 } from '../src/database/migrations/1764150000010-add-normalized-identities';
import { createTestApp } from './support/create-test-app';
import {
  createPostgresDatabase,
  createSqliteDirectory,
  dropPostgresDatabase,
  removeDirectory,
  usingPostgres,
} from './support/test-database';

interface LegacyUser {
  id: string;
  email: string;
  username: string;
  createdAt: string;
}

const PASSWORD = 'lantern orbit pickle';

/** A database of its own, not migrated at all. */
async function emptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (usingPostgres()) {
    const url = await createPostgresDatabase(process.env.TEST_PG_BASE_URL!);
    return { url, drop: () => dropPostgresDatabase(url) };
  }
  const directory = createSqliteDirectory();
  return {
    url: `sqlite:${join(directory, 'legacy.sqlite')}`,
    drop: () => Promise.resolve(removeDirectory(directory)),
  };
}

async function openDataSource(url: string, migrations: typeof MIGRATIONS): Promise<DataSource> {
  const dataSource = new DataSource({
    ...buildDataSourceOptions(parseDatabaseUrl(url)!),
    migrations,
  });
  await dataSource.initialize();
  return dataSource;
}

describe(AddNormalizedIdentities1764150000010.name, () => {
  const tag = randomBytes(4).toString('hex');
  const older = (minutes: number): string =>
    new Date(Date.UTC(2025, 0, 1, 0, minutes)).toISOString().replace('T', ' ').replace('Z', '');
  // Accounts as the old lower(...) indexes let them exist: one address in NFC and in NFD (two
  // accounts on both databases), an upper-case non-ASCII one, and a plain ASCII one.
  const legacy: LegacyUser[] = [
    {
      id: randomUUID(),
      email: `élodie.${tag}@example.com`,
      username: `elodie_${tag}`,
      createdAt: older(1),
    },
    {
      id: randomUUID(),
      email: `élodie.${tag}@example.com`.normalize('NFD'),
      username: `Squatter_${tag}`,
      createdAt: older(2),
    },
    {
      id: randomUUID(),
      email: `ÉMILE.${tag}@EXAMPLE.COM`,
      username: `Emile_${tag}`,
      createdAt: older(3),
    },
    {
      id: randomUUID(),
      email: `Ada.${tag}@Example.com`,
      username: `ADA_${tag}`,
      createdAt: older(4),
    },
  ];
  let database: { url: string; drop: () => Promise<void> };

  beforeAll(async () => {
    database = await emptyDatabase();
    const dataSource = await openDataSource(
      database.url,
      MIGRATIONS.slice(0, MIGRATIONS.indexOf(AddNormalizedIdentities1764150000010)),
    );
    try {
      await dataSource.runMigrations({ transaction: 'each' });
      const placeholders = usingPostgres() ? '$1, $2, $3, $4' : '?, ?, ?, ?';
      for (const user of legacy) {
        await dataSource.query(
          `INSERT INTO "users" ("id", "email", "username", "createdAt", "passwordHash", "roles") ` +
            `VALUES (${placeholders}, 'not-a-hash', 'user')`,
          [user.id, user.email, user.username, user.createdAt],
        );
      }
      const migrated = await openDataSource(database.url, MIGRATIONS);
      try {
        await migrated.runMigrations({ transaction: 'each' });
      } finally {
        await migrated.destroy();
      }
    } finally {
      await dataSource.destroy();
    }
  });

  afterAll(async () => {
    await database.drop();
  });

  async function foldedRows(): Promise<Map<string, { email: string; username: string }>> {
    const dataSource = await openDataSource(database.url, MIGRATIONS);
    try {
      const rows = await dataSource.query<
        { id: string; emailNormalized: string; usernameNormalized: string }[]
      >('SELECT "id", "emailNormalized", "usernameNormalized" FROM "users"');
      return new Map(
        rows.map((row) => [
          row.id,
          { email: row.emailNormalized, username: row.usernameNormalized },
        ]),
      );
    } finally {
      await dataSource.destroy();
    }
  }

  it('fills the folded columns of existing rows (NFC, then lower case), in TypeScript', async () => {
    const rows = await foldedRows();

    expect(rows.get(legacy[0].id)).toEqual({
      email: `élodie.${tag}@example.com`,
      username: `elodie_${tag}`,
    });
    expect(rows.get(legacy[2].id)).toEqual({
      email: `émile.${tag}@example.com`,
      username: `emile_${tag}`,
    });
    expect(rows.get(legacy[3].id)).toEqual({
      email: `ada.${tag}@example.com`,
      username: `ada_${tag}`,
    });
  });

  it('leaves the folded email to the oldest of two accounts that fold alike', async () => {
    const rows = await foldedRows();

    expect(rows.get(legacy[1].id)).toEqual({
      email: `duplicate:${legacy[1].id}:élodie.${tag}@example.com`,
      username: `squatter_${tag}`,
    });
  });

  it('leaves the displayed email and username as they were', async () => {
    const dataSource = await openDataSource(database.url, MIGRATIONS);
    try {
      const rows = await dataSource.query<LegacyUser[]>(
        'SELECT "id", "email", "username" FROM "users"',
      );
      for (const user of legacy) {
        expect(rows.find((row) => row.id === user.id)).toMatchObject({
          email: user.email,
          username: user.username,
        });
      }
    } finally {
      await dataSource.destroy();
    }
  });

  it('gives an app on the migrated database one account per folded email', async () => {
    const testApp = await createTestApp({ DATABASE_URL: database.url });
    try {
      const clash = await testApp
        .http()
        .post('/api/v1/auth/register')
        .send({
          email: `ÉMILE.${tag}@example.com`.normalize('NFD'),
          username: `new_${tag}`,
          password: PASSWORD,
        });
      const fresh = await testApp
        .http()
        .post('/api/v1/auth/register')
        .send({ email: `zoë.${tag}@example.com`, username: `zoe_${tag}`, password: PASSWORD });

      expect(clash.status).toBe(409);
      expect(fresh.status).toBe(201);
    } finally {
      await testApp.close();
    }
  });
});
