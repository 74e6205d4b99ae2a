import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { DomainError, ErrorCode } from '../common/domain-error';
import { mapWithLimit } from '../common/map-with-limit';
import { untilAborted } from '../common/until-aborted';
import { externalConfig } from '../config/external.config';
import { isUniqueViolation } from '../database/database-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainEvents } from '../events/domain-events.service';
import { ProductDto } from './dto/product.dto';
import { ExternalProduct, ProductSource } from '../external/product-source';
import { UpstreamError, UpstreamFailure } from '../external/upstream-error';
import { Job } from '../jobs/entities/job.entity';
import { JobProgress, JobsService } from '../jobs/jobs.service';
import { FetchStatus } from './dto/fetch-external.dto';
import { Product } from './entities/product.entity';
import { ProductsRepository } from './products.repository';
import { Transaction } from '../database/transaction';

export interface FetchOutcome {
  externalId: string;
  status: FetchStatus;
  product: Product | null;
  error: string | null;
  failure?: UpstreamFailure;
}

interface PageFetch {
  fetched: Promise<(FetchOutcome | ExternalProduct)[]>;
}

export interface FetchSummary {
  requested: number;
  created: number;
  updated: number;
  unchanged: number;
  notFound: number;
  failed: number;
  results: FetchOutcome[];
}

/** Rows written per transaction: small enough that other writers never wait long for the SQLite queue. */
const WRITE_BATCH = 100;
/** Products read per page by refresh_all: memory stays flat however many there are. */
const REFRESH_PAGE = 200;
/** Failures that mean the upstream is unreachable or unwell (502/504), not that the id is bad. */
const UPSTREAM_DOWN: UpstreamFailure[] = [
  'timeout',
  'network',
  'server',
  'rate_limited',
  'circuit_open',
];

function sameContent(product: Product, fetched: ExternalProduct): boolean {
  return (
    product.name === fetched.name &&
    product.description === fetched.description &&
    product.price === fetched.price
  );
}

/** Mirrors products from the external API: fetch_external (synchronous) and refresh_all (a job). */
@Injectable()
export class ProductImportService {
  private readonly logger = new Logger(ProductImportService.name);

  constructor(
    private readonly source: ProductSource,
    private readonly products: ProductsRepository,
    private readonly transactions: TransactionRunner,
    private readonly jobs: JobsService,
    private readonly events: DomainEvents,
    @Inject(externalConfig.KEY) private readonly external: ConfigType<typeof externalConfig>,
  ) {}

  async fetchExternal(externalIds: string[]): Promise<FetchSummary> {
    const openFor = this.source.circuitOpenFor();
    if (openFor !== undefined) {
      throw new DomainError(
        ErrorCode.CircuitOpen,
        'the external product API is failing; calls are paused',
        undefined,
        openFor,
      );
    }
    const results = await this.fetchAndWrite(externalIds);
    const summary = summarize(results);
    this.assertNotAllDown(summary);
    return summary;
  }

  refreshAll(): Promise<Job> {
    return this.jobs.startExclusive(
      'products.refresh',
      () => this.products.countWithExternalId(),
      (progress) => this.refresh(progress),
    );
  }

  /**
   * Pages through the products by id. Two pages are being fetched while the one before them is
   * written, so the upstream (the slow part) never waits for the database and the concurrency
   * slots never drain at a page boundary; pages are small, so what the main thread holds at any
   * moment (and each write's slice of its time) stays small.
   */
  private async refresh(progress: JobProgress): Promise<void> {
    let afterId = 0;
    const fetchNextPage = async (): Promise<PageFetch | undefined> => {
      if (progress.signal.aborted) {
        return undefined;
      }
      const page = await this.products.externalIdsAfter(afterId, REFRESH_PAGE);
      if (page.length === 0) {
        return undefined;
      }
      afterId = page[page.length - 1].id;
      const fetched = this.fetchAll(page.map((p) => p.externalId));
      // awaited in turn below; until then a failure must not count as unhandled
      fetched.catch(() => undefined);
      return { fetched };
    };
    const pages = [await fetchNextPage(), await fetchNextPage()];
    for (let page = pages.shift(); page; page = pages.shift()) {
      // on shutdown, stop at once: the job is marked, and what is still in flight is dropped
      const fetched = await untilAborted(page.fetched, progress.signal);
      if (!fetched) {
        return;
      }
      const [results, next] = await Promise.all([this.write(fetched), fetchNextPage()]);
      pages.push(next);
      await this.report(progress, results);
    }
  }

  private report(progress: JobProgress, results: FetchOutcome[]): Promise<void> {
    const summary = summarize(results);
    return progress.add(
      {
        processed: results.length,
        created: summary.created,
        updated: summary.updated,
        unchanged: summary.unchanged,
        notFound: summary.notFound,
        failed: summary.failed,
      },
      results
        .filter((r) => r.status === 'failed' || r.status === 'not_found')
        .map((r) => `external_id ${r.externalId}: ${r.error ?? r.status}`),
    );
  }

  private async fetchAndWrite(externalIds: string[]): Promise<FetchOutcome[]> {
    return this.write(await this.fetchAll(externalIds));
  }

  /**
   * Fetches every id concurrently. The External module bounds how many are in flight; twice
   * that many are handed to it at a time, enough to keep it busy, so the main thread does not
   * hold a pending call for every id of a page (they outlived young-generation collections and
   * made them slow, which GET requests waited for during a refresh).
   */
  private fetchAll(externalIds: string[]): Promise<(FetchOutcome | ExternalProduct)[]> {
    return mapWithLimit(
      externalIds,
      2 * this.external.concurrency,
      async (externalId): Promise<FetchOutcome | ExternalProduct> => {
        try {
          const product = await this.source.fetch(externalId);
          return (
            product ?? {
              externalId,
              status: 'not_found',
              product: null,
              error: 'not found upstream',
            }
          );
        } catch (error) {
          if (error instanceof UpstreamError) {
            return {
              externalId,
              status: 'failed',
              product: null,
              error: error.message,
              failure: error.failure,
            };
          }
          throw error;
        }
      },
    );
  }

  /** Writes what was found in batches; returns one outcome per fetched id, in order. */
  private async write(fetched: (FetchOutcome | ExternalProduct)[]): Promise<FetchOutcome[]> {
    const found = fetched.filter((f): f is ExternalProduct => !('status' in f));
    const written = new Map<string, FetchOutcome>();
    for (let i = 0; i < found.length; i += WRITE_BATCH) {
      for (const outcome of await this.upsert(found.slice(i, i + WRITE_BATCH))) {
        written.set(outcome.externalId, outcome);
      }
    }
    return fetched.map((f) => ('status' in f ? f : (written.get(f.externalId) as FetchOutcome)));
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
        if (!isUniqueViolation(error) || attempt >= 3) {
          throw error;
        }
        this.logger.debug(`upsert raced with another writer; retrying (attempt ${attempt + 1})`);
      }
    }
  }

  /**
   * A batch in four statements whatever its size: read the current rows, one multi-row
   * INSERT … ON CONFLICT (external_id) DO UPDATE for what is new or changed, read back the ids of
   * the new rows, one multi-row outbox INSERT. Row-by-row writes cost ~200 statements per
   * 100 products, and the CPU they take is what other requests wait for during a refresh.
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
    const changed = records.filter((r) => {
      const current = existing.get(r.externalId);
      return !current || !sameContent(current, r);
    });
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
    const outcomes = records.map((record): FetchOutcome => {
      const { externalId } = record;
      const current = existing.get(externalId);
      // only changed records were written: an unchanged one has no action
      const action = done.get(externalId);
      if (action === 'created') {
        return {
          externalId,
          status: 'created',
          product: fresh.get(externalId) ?? null,
          error: null,
        };
      }
      if (action === undefined) {
        // the same content was stored already: before this call, or by a concurrent one
        return {
          externalId,
          status: 'unchanged',
          product: fresh.get(externalId) ?? current ?? null,
          error: null,
        };
      }
      const product =
        fresh.get(externalId) ??
        Object.assign(current as Product, {
          name: record.name,
          description: record.description,
          price: record.price,
          updatedAt: now,
        });
      return { externalId, status: 'updated', product, error: null };
    });
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

  /** 502 when every id failed because the upstream is down or erring; 504 when all of those timed out. */
  private assertNotAllDown(summary: FetchSummary): void {
    const failures = summary.results.map((r) => r.failure);
    if (
      summary.failed !== summary.requested ||
      !failures.every((f) => f && UPSTREAM_DOWN.includes(f))
    ) {
      return;
    }
    // ids refused by an open breaker say nothing about why the upstream failed
    const attempted = failures.filter((f) => f !== 'circuit_open');
    const timedOut = attempted.length > 0 && attempted.every((f) => f === 'timeout');
    throw new DomainError(
      timedOut ? ErrorCode.UpstreamTimeout : ErrorCode.UpstreamUnavailable,
      timedOut
        ? `the external product API did not answer in time for any of the ${summary.requested} ids`
        : `the external product API could not be reached or failed for all ${summary.requested} ids`,
      {
        results: summary.results.map(({ externalId, status, error }) => ({
          external_id: externalId,
          status,
          product: null,
          error,
        })),
      },
    );
  }
}

function summarize(results: FetchOutcome[]): FetchSummary {
  const count = (status: FetchStatus) => results.filter((r) => r.status === status).length;
  return {
    requested: results.length,
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    notFound: count('not_found'),
    failed: count('failed'),
    results,
  };
}
