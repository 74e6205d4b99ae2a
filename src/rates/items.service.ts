import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { Page } from '../common/pagination.dto';
import { writeOrConflict } from '../common/write-or-conflict';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainEvents } from '../events/domain-events.service';
import { CreateItemDto, UpdateItemDto } from './dto/create-item.dto';
import { HISTORY_INTERVALS, HistoryQueryDto, ListItemsQueryDto } from './dto/item-queries.dto';
import { ItemDto } from './dto/item.dto';
import { Item } from './entities/item.entity';
import { RateHistory } from './entities/rate-history.entity';
import { HistoryBucket, ItemsRepository } from './items.repository';

const pairTaken = (pair: { base?: string; code?: string }): string =>
  `an item for this base and code${pair.base ? ` (${pair.base}/${pair.code ?? '…'})` : ''} already exists`;

/** Items over REST; every rate change appends a history point in the same transaction. */
@Injectable()
export class ItemsService {
  constructor(
    private readonly items: ItemsRepository,
    private readonly transactions: TransactionRunner,
    private readonly events: DomainEvents,
  ) {}

  list(query: ListItemsQueryDto): Promise<Page<Item>> {
    return this.items.list(query);
  }

  async get(id: number): Promise<Item> {
    const item = await this.items.findById(id);
    if (!item) {
      throw DomainError.notFound('item', id);
    }
    return item;
  }

  async history(id: number, query: HistoryQueryDto): Promise<RateHistory[]> {
    await this.get(id);
    return this.items.history(id, query.limit, { since: query.since, until: query.until });
  }

  /** OHLC buckets of `query.interval`, computed by the database. */
  async buckets(id: number, query: HistoryQueryDto): Promise<HistoryBucket[]> {
    await this.get(id);
    const seconds = HISTORY_INTERVALS[query.interval ?? '1d'];
    return this.items.buckets(id, seconds, query.limit, {
      since: query.since,
      until: query.until,
    });
  }

  async create(dto: CreateItemDto): Promise<Item> {
    const item = await writeOrConflict(this.transactions, pairTaken(dto), async (tx) => {
      const now = new Date();
      const created = await this.items.insert(tx, {
        code: dto.code,
        base: dto.base,
        rate: dto.rate,
        source: dto.source ?? 'manual',
        createdAt: now,
        updatedAt: now,
      });
      await this.items.appendHistory(tx, [
        { itemId: created.id, rate: created.rate, source: created.source, recordedAt: now },
      ]);
      await this.events.record(tx, 'item.created', { ...ItemDto.from(created) });
      return created;
    });
    return item;
  }

  async patch(id: number, dto: UpdateItemDto): Promise<Item> {
    const item = await writeOrConflict(this.transactions, pairTaken(dto), async (tx) => {
      const current = await this.items.findById(id, tx);
      if (!current) {
        throw DomainError.notFound('item', id);
      }
      const rateChanged = dto.rate !== undefined && dto.rate !== current.rate;
      const now = new Date();
      Object.assign(current, {
        ...(dto.code !== undefined && { code: dto.code }),
        ...(dto.base !== undefined && { base: dto.base }),
        // a client's rate, or a client taking the item over, is manual from now on
        ...((rateChanged || dto.source !== undefined) && { source: 'manual' }),
        ...(rateChanged && { rate: dto.rate }),
        updatedAt: now,
      });
      await this.items.update(tx, current);
      if (rateChanged) {
        await this.items.appendHistory(tx, [
          { itemId: id, rate: current.rate, source: 'manual', recordedAt: now },
        ]);
      }
      await this.events.record(tx, 'item.updated', { ...ItemDto.from(current) });
      return current;
    });
    return item;
  }

  async remove(id: number): Promise<void> {
    await this.transactions.run(async (tx) => {
      const current = await this.items.findById(id, tx);
      if (!current) {
        throw DomainError.notFound('item', id);
      }
      await this.items.delete(tx, id);
      await this.events.record(tx, 'item.deleted', { ...ItemDto.from(current) });
    });
  }
}
