import type { ColumnType } from 'typeorm';
import { isPostgresUrl } from '../config/database-url';

// Decorators are evaluated when entity files load, before Nest starts, so the database kind is
// read here from the same DATABASE_URL the configuration validates. SQLite has no time-zone-aware
// type; TypeORM stores UTC text in `datetime` there, and `timestamptz` keeps PostgreSQL exact.
const onPostgres = isPostgresUrl(process.env.DATABASE_URL?.trim());

export const TIMESTAMP_COLUMN: ColumnType = onPostgres ? 'timestamptz' : 'datetime';
export const UUID_COLUMN: ColumnType = onPostgres ? 'uuid' : 'varchar';
