import {
  Column,
  CreateDateColumn,
  PrimaryColumn,
  UpdateDateColumn,
  type ColumnOptions,
  type ColumnType,
} from 'typeorm';
import { isPostgresUrl } from '../config/database-url';

// Decorators are evaluated when entity files load, before Nest starts, so the database kind is
// read here from the same DATABASE_URL the configuration validates. SQLite has no time-zone-aware
// type; TypeORM stores UTC text in `datetime` there, and `timestamptz` keeps PostgreSQL exact.
// SQLite has no uuid type either: a UUID is its 36-character text form.
const onPostgres = isPostgresUrl(process.env.DATABASE_URL?.trim());

const TIMESTAMP: ColumnType = onPostgres ? 'timestamptz' : 'datetime';
const UUID: Pick<ColumnOptions, 'type' | 'length'> = onPostgres
  ? { type: 'uuid' }
  : { type: 'varchar', length: 36 };

/** Options the column helpers pass through; the type is theirs to choose. */
type ColumnExtras = Pick<ColumnOptions, 'nullable'>;

/** A UUID primary key (`uuid` on PostgreSQL, `varchar(36)` on SQLite); the entity assigns it. */
export function UuidPrimaryColumn(): PropertyDecorator {
  return PrimaryColumn({ ...UUID });
}

/** A UUID column, such as a foreign key to another table's `UuidPrimaryColumn`. */
export function UuidColumn(options: ColumnExtras = {}): PropertyDecorator {
  return Column({ ...UUID, ...options });
}

/** A point in time (`timestamptz` on PostgreSQL, UTC text in `datetime` on SQLite). */
export function TimestampColumn(options: ColumnExtras = {}): PropertyDecorator {
  return Column({ type: TIMESTAMP, ...options });
}

/**
 * Set by the database when the row is inserted. The default is spelled as the migrations wrote
 * it, so that migration:generate finds nothing to change (test/schema-drift.e2e-spec.ts).
 */
export function CreatedAtColumn(): PropertyDecorator {
  return CreateDateColumn({ type: TIMESTAMP, default: () => 'CURRENT_TIMESTAMP' });
}

/** Set by TypeORM on every save, by the database on insert. */
export function UpdatedAtColumn(): PropertyDecorator {
  return UpdateDateColumn({ type: TIMESTAMP, default: () => 'CURRENT_TIMESTAMP' });
}
