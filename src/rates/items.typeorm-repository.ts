import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { SqlDialect } from '../database/sql-dialect';
import { affectedBy, managerOf, Transaction } from '../database/transaction';
import { insertWithId } from '../database/insert-with-id';
import { Page } from '../common/pagination.dto';
import { Item } from './entities/item.entity';
import { RateHistory } from './entities/rate-history.entity';
import { historyBucketsQuery } from './history-buckets.query';
import { hourPieces, rollupPrune, rollupUpsert, StoredPoint } from './history-rollup';
import {
  HistoryBucket,
  HistoryRange,
  ItemListFilter,
  ItemsRepository,
  NewHistoryPoint,
  NewItem,
  RateEdge,
} from './items.repository';

/** Rows per INSERT: well inside both engines' limits on bound parameters (11 per rollup row). */
const CHUNK = 500;

const chunks = <T>(rows: T[]): T[][] =>
  Array.from({ length: Math.ceil(rows.length / CHUNK) }, (_, i) =>
    rows.slice(i * CHUNK, (i + 1) * CHUNK),
  );

@Injectable()
export class ItemsTypeormRepository extends ItemsRepository {
  constructor(
    @InjectRepository(Item) private readonly items: Repository<Item>,
    @InjectRepository(RateHistory) private readonly points: Repository<RateHistory>,
    private readonly sql: SqlDialect,
  ) {
    super();
  }

  findById(id: number, tx?: Transaction): Promise<Item | null> {
    return (tx ? managerOf(tx).getRepository(Item) : this.items).findOneBy({ id });
  }

  async list(filter: ItemListFilter): Promise<Page<Item>> {
    const where = {
      ...(filter.base !== undefined && { base: filter.base }),
      ...(filter.code !== undefined && { code: filter.code }),
      ...(filter.source !== undefined && { source: filter.source }),
    };
    const [items, total] = await this.items.findAndCount({
      where,
      order: { id: 'ASC' },
      take: filter.limit,
      skip: filter.offset,
    });
    return new Page(items, total);
  }

  findByBases(tx: Transaction, bases: string[]): Promise<Item[]> {
    return managerOf(tx)
      .getRepository(Item)
      .findBy({ base: In(bases) });
  }

  insert(tx: Transaction, item: NewItem): Promise<Item> {
    return insertWithId(tx, this.sql, Item, item);
  }

  async update(tx: Transaction, item: Item): Promise<Item> {
    const { code, base, rate, source, updatedAt } = item;
    await managerOf(tx)
      .getRepository(Item)
      .update({ id: item.id }, { code, base, rate, source, updatedAt });
    return item;
  }

  async delete(tx: Transaction, id: number): Promise<void> {
    await managerOf(tx).getRepository(Item).delete({ id });
  }

  /** The points, and their hours merged into the rollup in the same transaction. */
  async appendHistory(tx: Transaction, points: NewHistoryPoint[]): Promise<void> {
    const { sql } = this;
    const manager = managerOf(tx);
    const stored: StoredPoint[] = [];
    for (const chunk of chunks(points)) {
      const rows: Record<string, unknown>[] = await manager.query(
        sql.returningRows(
          `INSERT INTO item_history (item_id, rate, source, recorded_at)
           VALUES ${sql.valueRows(chunk.length, 4)} RETURNING id, item_id, rate, recorded_at`,
        ),
        chunk.flatMap((p) => [p.itemId, p.rate, p.source, sql.timestamp(p.recordedAt)]),
      );
      stored.push(
        ...rows.map((row) => ({
          id: Number(row.id),
          itemId: Number(row.item_id),
          rate: Number(row.rate),
          recordedAt: sql.readTimestamp(row.recorded_at),
        })),
      );
    }
    for (const chunk of chunks(hourPieces(stored))) {
      const upsert = rollupUpsert(sql, chunk);
      await manager.query(upsert.text, upsert.params);
    }
  }

  history(itemId: number, limit: number, range: HistoryRange = {}): Promise<RateHistory[]> {
    const query = this.points
      .createQueryBuilder('h')
      .where('h.itemId = :itemId', { itemId })
      .orderBy('h.recordedAt', 'DESC')
      .addOrderBy('h.id', 'DESC')
      .limit(limit);
    if (range.since) {
      query.andWhere('h.recordedAt >= :since', { since: this.sql.timestamp(range.since) });
    }
    if (range.until) {
      query.andWhere('h.recordedAt <= :until', { until: this.sql.timestamp(range.until) });
    }
    return query.getMany();
  }

  async buckets(
    itemId: number,
    seconds: number,
    limit: number,
    range: HistoryRange = {},
  ): Promise<HistoryBucket[]> {
    const query = historyBucketsQuery(this.sql, { itemId, seconds, limit, ...range });
    const rows: Record<string, unknown>[] = await this.points.query(query.text, query.params);
    return rows.map((row) => ({
      start: this.sql.readTimestamp(row.start),
      open: Number(row.open),
      high: Number(row.high),
      low: Number(row.low),
      close: Number(row.close),
      points: Number(row.points),
    }));
  }

  async rates(at?: Date): Promise<RateEdge[]> {
    if (!at) {
      const items = await this.items.find();
      return items.map((item) => ({
        itemId: item.id,
        base: item.base,
        code: item.code,
        rate: item.rate,
        updatedAt: item.updatedAt,
      }));
    }
    const inForce = `h.item_id = i.id AND h.recorded_at <= ${this.sql.numbered(1)}`;
    const rows: Record<string, unknown>[] = await this.items.query(
      `SELECT * FROM (
         SELECT i.id, i.base, i.code,
           (SELECT h.rate FROM item_history h WHERE ${inForce}
             ORDER BY h.recorded_at DESC, h.id DESC LIMIT 1) AS rate,
           (SELECT MAX(h.recorded_at) FROM item_history h WHERE ${inForce}) AS recorded_at
         FROM items i
       ) r WHERE r.rate IS NOT NULL`,
      [this.sql.timestamp(at)],
    );
    return rows.map((row) => ({
      itemId: Number(row.id),
      base: String(row.base),
      code: String(row.code),
      rate: Number(row.rate),
      updatedAt: this.sql.readTimestamp(row.recorded_at),
    }));
  }

  async pruneHistory(tx: Transaction, before: Date, limit: number): Promise<number> {
    const { sql } = this;
    // a bounded batch found through the recorded_at index: the writer is held only briefly
    const old = `SELECT id FROM item_history WHERE recorded_at < ${sql.param(1)} LIMIT ${sql.param(2)}`;
    const deleted = await affectedBy(
      tx,
      `DELETE FROM item_history WHERE ${sql.inSubquery('id', old)}`,
      [sql.timestamp(before), limit],
    );
    // each batch leaves the rollup matching the raw points it kept
    for (const statement of rollupPrune(sql, before)) {
      await managerOf(tx).query(statement.text, statement.params);
    }
    return deleted;
  }
}
