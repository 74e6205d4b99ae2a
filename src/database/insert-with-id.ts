import { ObjectLiteral } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { SqlDialect } from './sql-dialect';
import { managerOf, Transaction } from './transaction';

/**
 * One INSERT and no reload SELECT (which `save()` would add): the new row's id comes from
 * lastID on SQLite, from RETURNING on PostgreSQL.
 */
export async function insertWithId<T extends ObjectLiteral, V extends QueryDeepPartialEntity<T>>(
  tx: Transaction,
  sql: SqlDialect,
  entity: new () => T,
  values: V,
): Promise<T & V & { id: number }> {
  const query = managerOf(tx)
    .createQueryBuilder()
    .insert()
    .into(entity)
    .values(values)
    .updateEntity(false);
  const result = await (sql.sqlite ? query : query.returning('id')).execute();
  const raw: unknown = result.raw;
  const id = sql.sqlite ? (raw as number) : (raw as { id: number }[])[0].id;
  return Object.assign(new entity(), values, { id });
}
