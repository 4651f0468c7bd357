import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { StartupLock } from './startup-lock';

/** Applies pending migrations before any module touches the database. */
@Injectable()
export class SchemaMigrator implements OnModuleInit {
  private readonly logger = new Logger(SchemaMigrator.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly startupLock: StartupLock,
  ) {}

  async onModuleInit(): Promise<void> {
    const applied = await this.startupLock.runExclusive(() =>
      this.dataSource.runMigrations({ transaction: 'each' }),
    );
    if (applied.length > 0) {
      this.logger.log(
        `Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`,
      );
    }
  }
}
