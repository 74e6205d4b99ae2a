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

/** Which points a history read selects: `since` and `until` inclusive. */
export interface HistoryRange {
  since?: Date;
  until?: Date;
}

/** One OHLC bucket of an item's history, computed by the database. */
export interface HistoryBucket {
  start: Date;
  open: number;
  high: number;
  low: number;
  close: number;
  points: number;
}

/** An item as a conversion travels it: its rate (now, or in force at a time) and when it was set. */
export interface RateEdge {
  itemId: number;
  base: string;
  code: string;
  rate: number;
  updatedAt: Date;
}
export type NewHistoryPoint = Omit<RateHistory, 'id' | 'item'>;

export abstract class ItemsRepository {
  abstract findById(id: number, tx?: Transaction): Promise<Item | null>;
  abstract list(filter: ItemListFilter): Promise<Page<Item>>;
  /** Every item whose base is one of `bases` (the sync's working set: a handful of rows). */
  abstract findByBases(tx: Transaction, bases: string[]): Promise<Item[]>;
  abstract insert(tx: Transaction, item: NewItem): Promise<Item>;
  abstract update(tx: Transaction, item: Item): Promise<Item>;
  abstract delete(tx: Transaction, id: number): Promise<void>;
  /** Appends points (of any items) and keeps their hours' rollup in step, in `tx`. */
  abstract appendHistory(tx: Transaction, points: NewHistoryPoint[]): Promise<void>;
  /** Newest first. */
  abstract history(itemId: number, limit: number, range?: HistoryRange): Promise<RateHistory[]>;
  /** The newest `limit` buckets of `seconds` holding points in `range`, newest first. */
  abstract buckets(
    itemId: number,
    seconds: number,
    limit: number,
    range?: HistoryRange,
  ): Promise<HistoryBucket[]>;
  /**
   * Every item with its current rate, or, given `at`, with the rate in force then (the latest
   * history point at or before it; items without one are left out) and that point's time.
   */
  abstract rates(at?: Date): Promise<RateEdge[]>;
  /**
   * Retention: deletes up to `limit` history points recorded before `before`, and the rollup of
   * what is gone; how many points it deleted.
   */
  abstract pruneHistory(tx: Transaction, before: Date, limit: number): Promise<number>;
}
