import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { SqlDialect } from '../database/sql-dialect';
import { affectedBy, managerOf, Transaction } from '../database/transaction';
import { insertWithId } from '../database/insert-with-id';
import { Page } from '../common/pagination.dto';
import { Item } from './entities/item.entity';
import { RateHistory } from './entities/rate-history.entity';
import { ItemListFilter, ItemsRepository, NewHistoryPoint, NewItem } from './items.repository';

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

  async appendHistory(tx: Transaction, points: NewHistoryPoint[]): Promise<void> {
    if (points.length > 0) {
      await managerOf(tx)
        .createQueryBuilder()
        .insert()
        .into(RateHistory)
        .values(points)
        .updateEntity(false)
        .execute();
    }
  }

  history(itemId: number, limit: number, since?: Date): Promise<RateHistory[]> {
    const query = this.points
      .createQueryBuilder('h')
      .where('h.itemId = :itemId', { itemId })
      .orderBy('h.recordedAt', 'DESC')
      .addOrderBy('h.id', 'DESC')
      .limit(limit);
    if (since) {
      query.andWhere('h.recordedAt >= :since', { since: this.sql.timestamp(since) });
    }
    return query.getMany();
  }

  pruneHistory(tx: Transaction, before: Date, limit: number): Promise<number> {
    const { sql } = this;
    // a bounded batch found through the recorded_at index: the writer is held only briefly
    const old = `SELECT id FROM item_history WHERE recorded_at < ${sql.param(1)} LIMIT ${sql.param(2)}`;
    return affectedBy(tx, `DELETE FROM item_history WHERE ${sql.inSubquery('id', old)}`, [
      sql.timestamp(before),
      limit,
    ]);
  }
}
