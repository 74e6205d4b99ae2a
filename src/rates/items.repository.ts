import { EntityManager } from 'typeorm';
import { Page } from '../common/pagination.dto';
import { Item, RateSource } from './entities/item.entity';
import { RateHistory } from './entities/rate-history.entity';

export interface ItemListFilter {
  base?: string;
  code?: string;
  source?: RateSource;
  limit: number;
  offset: number;
}

export type NewItem = Omit<Item, 'id'>;
export type NewHistoryPoint = Omit<RateHistory, 'id' | 'item'>;

export abstract class ItemsRepository {
  abstract findById(id: number, tx?: EntityManager): Promise<Item | null>;
  abstract list(filter: ItemListFilter): Promise<Page<Item>>;
  /** Every item whose base is one of `bases` (the sync's working set: a handful of rows). */
  abstract findByBases(tx: EntityManager, bases: string[]): Promise<Item[]>;
  abstract insert(tx: EntityManager, item: NewItem): Promise<Item>;
  abstract update(tx: EntityManager, item: Item): Promise<Item>;
  abstract delete(tx: EntityManager, id: number): Promise<void>;
  abstract appendHistory(tx: EntityManager, points: NewHistoryPoint[]): Promise<void>;
  /** Newest first. */
  abstract history(itemId: number, limit: number, since?: Date): Promise<RateHistory[]>;
}
