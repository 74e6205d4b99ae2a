import { QueryRunner } from 'typeorm';

/** The column type TypeORM maps a `Date` property to on the running driver. */
export function timestampType(queryRunner: QueryRunner): string {
  return queryRunner.connection.options.type === 'postgres' ? 'timestamp' : 'datetime';
}
