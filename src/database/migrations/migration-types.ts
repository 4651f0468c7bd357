import type { QueryRunner } from 'typeorm';

/** Column types that differ between the two supported databases, for portable migrations. */
export function portableTypes(queryRunner: QueryRunner): {
  onPostgres: boolean;
  uuid: { type: string; length?: string };
  timestamp: string;
} {
  const onPostgres = queryRunner.connection.driver.options.type === 'postgres';
  return {
    onPostgres,
    uuid: onPostgres ? { type: 'uuid' } : { type: 'varchar', length: '36' },
    timestamp: onPostgres ? 'timestamptz' : 'datetime',
  };
}
