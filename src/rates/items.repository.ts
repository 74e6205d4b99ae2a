import { Transaction } from '../database/transaction';
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
  abstract findById(id: number, tx?: Transaction): Promise<Item | null>;
  abstract list(filter: ItemListFilter): Promise<Page<Item>>;
  /** Every item whose base is one of `bases` (the sync's working set: a handful of rows). */
  abstract findByBases(tx: Transaction, bases: string[]): Promise<Item[]>;
  abstract insert(tx: Transaction, item: NewItem): Promise<Item>;
  abstract update(tx: Transaction, item: Item): Promise<Item>;
  abstract delete(tx: Transaction, id: number): Promise<void>;
  abstract appendHistory(tx: Transaction, points: NewHistoryPoint[]): Promise<void>;
  /** Newest first. */
  abstract history(itemId: number, limit: number, since?: Date): Promise<RateHistory[]>;
  /** Retention: deletes up to `limit` history points recorded before `before`; how many it did. */
  abstract pruneHistory(tx: Transaction, before: Date, limit: number): Promise<number>;
}
