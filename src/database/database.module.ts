import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source-options';
import { SchemaMigrator } from './schema-migrator';
import { StartupLock } from './startup-lock';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...buildDataSourceOptions(config.database),
        // Nest's default retries hide a wrong DATABASE_URL behind a minute of silence.
        retryAttempts: 2,
        retryDelay: 1000,
      }),
    }),
  ],
  providers: [StartupLock, SchemaMigrator],
  exports: [StartupLock],
})
export class DatabaseModule {}
