import { Injectable } from '@nestjs/common';
import BetterSqlite3 from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ensurePrivateFile } from './private-file';

// Any fixed 64-bit number works; it only has to be the same in every instance of this app.
const POSTGRES_ADVISORY_LOCK_KEY = 7_345_120_981;

/** The last holder (or waiter) of each SQLite lock file in this process. */
const inProcessQueue = new Map<string, Promise<void>>();

/**
 * Runs start-up work (migrations, the bootstrap admin) in one instance at a time, so that N
 * instances starting together on an empty database do it exactly once. PostgreSQL gives an
 * advisory lock; for a SQLite file, an exclusive transaction on a sibling lock file does the same,
 * and the operating system releases either if the process dies.
 */
@Injectable()
export class StartupLock {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async runExclusive<T>(work: () => Promise<T>): Promise<T> {
    const target = this.config.database;
    if (target.kind === 'postgres') {
      return this.withAdvisoryLock(work);
    }
    if (target.path === ':memory:') {
      return work();
    }
    return this.withSqliteLockFile(`${target.path}.startup-lock`, work);
  }

  private async withAdvisoryLock<T>(work: () => Promise<T>): Promise<T> {
    const queryRunner = this.dataSource.createQueryRunner();
    await queryRunner.connect();
    try {
      await queryRunner.query('SELECT pg_advisory_lock($1)', [POSTGRES_ADVISORY_LOCK_KEY]);
      try {
        return await work();
      } finally {
        await queryRunner.query('SELECT pg_advisory_unlock($1)', [POSTGRES_ADVISORY_LOCK_KEY]);
      }
    } finally {
      await queryRunner.release();
    }
  }

  private async withSqliteLockFile<T>(path: string, work: () => Promise<T>): Promise<T> {
    // Waiting for the file lock blocks the thread (better-sqlite3 is synchronous), so two apps in
    // one process (tests start several on one file) would wait on each other forever; queue
    // them here first, and let the file lock order separate processes.
    const previous = inProcessQueue.get(path) ?? Promise.resolve();
    const turn = previous.then(() => this.holdSqliteLockFile(path, work));
    const settled = turn.then(
      () => undefined,
      () => undefined,
    );
    inProcessQueue.set(path, settled);
    try {
      return await turn;
    } finally {
      if (inProcessQueue.get(path) === settled) {
        inProcessQueue.delete(path);
      }
    }
  }

  private async holdSqliteLockFile<T>(path: string, work: () => Promise<T>): Promise<T> {
    ensurePrivateFile(path);
    const lock = new BetterSqlite3(path, { timeout: 60_000 });
    try {
      lock.exec('BEGIN EXCLUSIVE');
      try {
        return await work();
      } finally {
        lock.exec('COMMIT');
      }
    } finally {
      lock.close();
    }
  }
}
