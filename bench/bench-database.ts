import BetterSqlite3 from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { normalizeIdentity } from '../src/users/identity-normalization';

/** A user as the bench seeds it, in the public shape the API returns. */
export interface SeededUser {
  id: string;
  email: string;
  username: string;
  fullName: string | null;
  isActive: boolean;
  roles: string[];
  createdAt: string;
  updatedAt: string;
}

/**
 * A database of its own for one bench run: a fresh SQLite file in a temporary folder, or a fresh
 * PostgreSQL database next to the one DATABASE_URL names, dropped afterwards.
 */
export interface BenchDatabase {
  readonly kind: 'sqlite' | 'postgres';
  /** The DATABASE_URL the application is started with. */
  readonly appUrl: string;
  /** Inserts users number `from` to `to - 1` (the schema must exist: start the app first). */
  seedUsers(
    from: number,
    to: number,
    passwordHash: string,
    roles?: string[],
  ): Promise<SeededUser[]>;
  dispose(): Promise<void>;
}

export function benchUser(index: number, roles: string[], now: Date): SeededUser {
  const padded = String(index).padStart(6, '0');
  return {
    id: randomUUID(),
    email: `user${padded}@bench.example`,
    username: `user${padded}`,
    fullName: `Bench User ${padded}`,
    isActive: true,
    roles,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

export async function openBenchDatabase(databaseUrl: string | undefined): Promise<BenchDatabase> {
  if (databaseUrl && /^postgres(ql)?:\/\//.test(databaseUrl)) {
    return PostgresBenchDatabase.create(databaseUrl);
  }
  return new SqliteBenchDatabase();
}

const BATCH = 5_000;

class SqliteBenchDatabase implements BenchDatabase {
  readonly kind = 'sqlite';
  readonly appUrl: string;
  private readonly directory: string;
  private readonly path: string;
  private connection: BetterSqlite3.Database | undefined;

  constructor() {
    this.directory = mkdtempSync(join(tmpdir(), 'nest-auth-bench-'));
    this.path = join(this.directory, 'bench.sqlite');
    this.appUrl = `sqlite:${this.path}`;
  }

  seedUsers(from: number, to: number, hash: string, roles = ['user']): Promise<SeededUser[]> {
    this.connection ??= new BetterSqlite3(this.path, { timeout: 10_000 });
    const insert = this.connection.prepare(
      `INSERT INTO users (id, email, username, emailNormalized, usernameNormalized, fullName, passwordHash, isActive, roles, createdAt, updatedAt)
       VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
    );
    const now = new Date();
    // TypeORM's SQLite datetime text: UTC, 'YYYY-MM-DD HH:MM:SS.SSS'.
    const stamp = now.toISOString().replace('T', ' ').replace('Z', '');
    const seeded: SeededUser[] = [];
    for (let start = from; start < to; start += BATCH) {
      const batch: SeededUser[] = [];
      for (let index = start; index < Math.min(to, start + BATCH); index++) {
        batch.push(benchUser(index, roles, now));
      }
      this.connection.transaction(() => {
        for (const user of batch) {
          insert.run(
            user.id,
            user.email,
            user.username,
            normalizeIdentity(user.email),
            normalizeIdentity(user.username),
            user.fullName,
            hash,
            roles.join(','),
            stamp,
            stamp,
          );
        }
      })();
      seeded.push(...batch);
    }
    return Promise.resolve(seeded);
  }

  dispose(): Promise<void> {
    this.connection?.close();
    rmSync(this.directory, { recursive: true, force: true });
    return Promise.resolve();
  }
}

class PostgresBenchDatabase implements BenchDatabase {
  readonly kind = 'postgres';
  private client: Client | undefined;

  private constructor(
    readonly appUrl: string,
    private readonly adminUrl: string,
    private readonly name: string,
  ) {}

  static async create(baseUrl: string): Promise<PostgresBenchDatabase> {
    const name = `nest_auth_bench_${Date.now()}_${process.pid}`;
    const admin = new URL(baseUrl);
    admin.pathname = '/postgres';
    const app = new URL(baseUrl);
    app.pathname = `/${name}`;
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } finally {
      await client.end();
    }
    return new PostgresBenchDatabase(app.toString(), admin.toString(), name);
  }

  async seedUsers(from: number, to: number, hash: string, roles = ['user']): Promise<SeededUser[]> {
    if (!this.client) {
      this.client = new Client({ connectionString: this.appUrl });
      await this.client.connect();
    }
    const now = new Date();
    const seeded: SeededUser[] = [];
    for (let start = from; start < to; start += BATCH) {
      const batch: SeededUser[] = [];
      for (let index = start; index < Math.min(to, start + BATCH); index++) {
        batch.push(benchUser(index, roles, now));
      }
      await this.client.query(
        `INSERT INTO users (id, email, username, "emailNormalized", "usernameNormalized", "fullName", "passwordHash", "isActive", roles, "createdAt", "updatedAt")
         SELECT id, email, username, email_normalized, username_normalized, full_name, $4, true, $5, $6, $6
         FROM unnest($1::uuid[], $2::text[], $3::text[], $7::text[], $8::text[], $9::text[])
           AS t(id, email, username, full_name, email_normalized, username_normalized)`,
        [
          batch.map((user) => user.id),
          batch.map((user) => user.email),
          batch.map((user) => user.username),
          hash,
          roles.join(','),
          now,
          batch.map((user) => user.fullName),
          batch.map((user) => normalizeIdentity(user.email)),
          batch.map((user) => normalizeIdentity(user.username)),
        ],
      );
      seeded.push(...batch);
    }
    await this.client.query('ANALYZE users');
    return seeded;
  }

  async dispose(): Promise<void> {
    await this.client?.end();
    const client = new Client({ connectionString: this.adminUrl });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS "${this.name}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }
}
