import { QueryRunner } from 'typeorm';
import { SqlDialect } from '../src/database/sql-dialect';

/** The column type TypeORM maps a `Date` property to on the running driver. */
export function timestampType(queryRunner: QueryRunner): string {
  return new SqlDialect(queryRunner.connection.options).postgres ? 'timestamp' : 'datetime';
}
