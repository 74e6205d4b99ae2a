import { QueryRunner } from 'typeorm';

/**
 * The column type TypeORM maps a `Date` property to on the running driver. Migrations import no
 * application code (it changes; a shipped migration must not), so this reads the driver itself.
 */
export function timestampType(queryRunner: QueryRunner): string {
  return queryRunner.connection.options.type === 'postgres' ? 'timestamp' : 'datetime';
}
