import { Injectable, Logger } from '@nestjs/common';
import { isDataRefusal, isUniqueViolation } from '../database/database-errors';
import { Transaction } from '../database/transaction';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainEvents } from '../events/domain-events.service';
import { ExternalProduct } from '../external/product-source';
import { ProductDto } from './dto/product.dto';
import { Product } from './entities/product.entity';
import { FetchOutcome, needsWrite, refusedByDatabase, writtenOutcome } from './import-outcomes';
import { ProductsRepository } from './products.repository';

/** Rows written per transaction: small enough that other writers never wait long for the SQLite queue. */
const WRITE_BATCH = 100;
/** A batch that keeps losing races is a real fault, not a race: after this many, it fails. */
const MAX_ATTEMPTS = 3;

/** Stores fetched products by external_id, in batches, with their `product.*` events. */
@Injectable()
export class ProductBatchWriter {
  // part of the import: its lines carry the import's context
  private readonly logger = new Logger('ProductImportService');

  constructor(
    private readonly products: ProductsRepository,
    private readonly transactions: TransactionRunner,
    private readonly events: DomainEvents,
  ) {}

  /** Writes what was found in batches; returns one outcome per fetched id, in order. */
  async write(fetched: (FetchOutcome | ExternalProduct)[]): Promise<FetchOutcome[]> {
    const found = fetched.filter((f): f is ExternalProduct => !('status' in f));
    const written = new Map<string, FetchOutcome>();
    for (let i = 0; i < found.length; i += WRITE_BATCH) {
      for (const outcome of await this.upsertOrEach(found.slice(i, i + WRITE_BATCH))) {
        written.set(outcome.externalId, outcome);
      }
    }
    return fetched.map((f) => ('status' in f ? f : (written.get(f.externalId) as FetchOutcome)));
  }

  /**
   * The source cleans what it maps (HttpProductSource), which leaves nothing known that the
   * database would refuse; but a batch is one statement, so should a row still be refused for
   * its values (a constraint an operator added, a provider that cleans less), the batch is
   * written again row by row and only that row fails — never its whole batch or page.
   */
  private async upsertOrEach(records: ExternalProduct[]): Promise<FetchOutcome[]> {
    try {
      return await this.upsert(records);
    } catch (error) {
      if (!isDataRefusal(error)) {
        throw error;
      }
      if (records.length === 1) {
        return [refusedByDatabase(records[0].externalId, error)];
      }
      this.logger.warn(
        `the database refused a batch of ${records.length} products (${String(error)}); writing them one by one`,
      );
    }
    const outcomes: FetchOutcome[] = [];
    for (const record of records) {
      outcomes.push(...(await this.upsertOrEach([record])));
    }
    return outcomes;
  }

  /**
   * Creates or updates by external_id in one transaction. Two callers racing on a new id can both
   * try to insert it: the loser's unique violation rolls its batch back and it retries, now
   * seeing the winner's row — never a duplicate, never a 500.
   */
  private async upsert(records: ExternalProduct[]): Promise<FetchOutcome[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.transactions.run((tx) => this.upsertIn(tx, records));
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= MAX_ATTEMPTS) {
          throw error;
        }
        this.logger.debug(`upsert raced with another writer; retrying (attempt ${attempt + 1})`);
      }
    }
  }

  /**
   * A batch in four statements whatever its size: read the current rows, one multi-row
   * INSERT … ON CONFLICT (external_id) DO UPDATE for what is new or changed, read back the ids of
   * the new rows, one multi-row outbox INSERT. Row by row, the statements per batch grow with its
   * size, and their CPU is what other requests wait for during a refresh.
   */
  private async upsertIn(tx: Transaction, records: ExternalProduct[]): Promise<FetchOutcome[]> {
    const existing = new Map(
      (
        await this.products.findByExternalIds(
          tx,
          records.map((r) => r.externalId),
        )
      ).map((p) => [p.externalId as string, p]),
    );
    const now = new Date();
    const changed = records.filter((r) => needsWrite(existing.get(r.externalId), r));
    const done = await this.products.upsertByExternalId(
      tx,
      changed.map((r) => ({ ...r, createdAt: now, updatedAt: now })),
      new Set(existing.keys()),
    );
    // rows to read back: the new ones (their ids), and any a concurrent writer changed meanwhile
    const stale = changed
      .filter((r) => done.get(r.externalId) !== 'updated' || !existing.has(r.externalId))
      .map((r) => r.externalId);
    const fresh = new Map(
      (await this.products.findByExternalIds(tx, stale)).map((p) => [p.externalId, p]),
    );
    // only changed records were written: an unchanged one has no action
    const outcomes = records.map((record) =>
      writtenOutcome(
        record,
        existing.get(record.externalId),
        done.get(record.externalId),
        fresh.get(record.externalId),
        now,
      ),
    );
    await this.events.recordMany(
      tx,
      outcomes
        .filter((o) => o.status === 'created' || o.status === 'updated')
        .map((o) => ({
          event:
            o.status === 'created' ? ('product.created' as const) : ('product.updated' as const),
          payload: { ...ProductDto.from(o.product as Product) },
        })),
    );
    return outcomes;
  }
}
