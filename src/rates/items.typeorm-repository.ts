import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { Page } from '../common/pagination.dto';
import { Item } from './entities/item.entity';
import { RateHistory } from './entities/rate-history.entity';
import { ItemListFilter, ItemsRepository, NewHistoryPoint, NewItem } from './items.repository';

@Injectable()
export class ItemsTypeormRepository extends ItemsRepository {
  private readonly sqlite: boolean;

  constructor(
    @InjectRepository(Item) private readonly items: Repository<Item>,
    @InjectRepository(RateHistory) private readonly points: Repository<RateHistory>,
  ) {
    super();
    this.sqlite = items.manager.connection.options.type === 'sqlite';
  }

  findById(id: number, tx?: EntityManager): Promise<Item | null> {
    return (tx ? tx.getRepository(Item) : this.items).findOneBy({ id });
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

  findByBases(tx: EntityManager, bases: string[]): Promise<Item[]> {
    return tx.getRepository(Item).findBy({ base: In(bases) });
  }

  async insert(tx: EntityManager, item: NewItem): Promise<Item> {
    const query = tx.createQueryBuilder().insert().into(Item).values(item).updateEntity(false);
    const result = await (this.sqlite ? query : query.returning('id')).execute();
    const raw: unknown = result.raw;
    const id = this.sqlite ? (raw as number) : (raw as { id: number }[])[0].id;
    return Object.assign(new Item(), item, { id });
  }

  async update(tx: EntityManager, item: Item): Promise<Item> {
    const { code, base, rate, source, updatedAt } = item;
    await tx.getRepository(Item).update({ id: item.id }, { code, base, rate, source, updatedAt });
    return item;
  }

  async delete(tx: EntityManager, id: number): Promise<void> {
    await tx.getRepository(Item).delete({ id });
  }

  async appendHistory(tx: EntityManager, points: NewHistoryPoint[]): Promise<void> {
    if (points.length > 0) {
      await tx
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
      query.andWhere('h.recordedAt >= :since', { since: this.sqlite ? sqliteTime(since) : since });
    }
    return query.getMany();
  }
}

/** TypeORM stores SQLite datetimes as UTC text; a comparison must use the same form. */
function sqliteTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
