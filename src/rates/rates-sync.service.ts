import { Injectable, Logger } from '@nestjs/common';
import { Transaction } from '../database/transaction';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainEvents } from '../events/domain-events.service';
import { Job } from '../jobs/entities/job.entity';
import { JobProgress } from '../jobs/job-progress';
import { JobRunner } from '../jobs/job-runner.service';
import { LeasesService } from '../leases/leases.service';
import { ItemDto } from './dto/item.dto';
import { ratesSyncedEvents } from './rates.events';
import { Item } from './entities/item.entity';
import { ItemsRepository } from './items.repository';
import { RateProvider, RateQuote } from './providers/rate-provider';
import { RateProviders, SourcesRead } from './providers/rate-providers';

/** The kind of the job a sync runs as: in its record, its events and the `jobs` metric. */
const RATES_SYNC_JOB_KIND = 'rates.sync';
/** Held by the instance that runs the scheduled syncs. */
const RATES_SCHEDULE_LEASE = 'schedule:rates.sync';

/** An item a sync created or moved. */
interface Change {
  item: Item;
  created: boolean;
}

/**
 * Pulls the rates from every configured source at once and stores what the sources that
 * answered quoted, in one transaction, with a history point per changed rate, recorded as a
 * `rates.sync` job: `partially_failed` when some source could not be read, `failed` when none
 * could (then nothing is written).
 */
@Injectable()
export class RatesSyncService {
  private readonly logger = new Logger(RatesSyncService.name);

  constructor(
    private readonly providers: RateProviders,
    private readonly items: ItemsRepository,
    private readonly transactions: TransactionRunner,
    private readonly jobs: JobRunner,
    private readonly events: DomainEvents,
    private readonly leases: LeasesService,
  ) {}

  /** Starts a sync, or returns the one already running. */
  start(): Promise<Job> {
    return this.jobs.startExclusive(
      RATES_SYNC_JOB_KIND,
      () => Promise.resolve(0),
      (progress) => this.sync(progress),
    );
  }

  /**
   * For the schedule, on every instance at every tick: only the instance holding the schedule
   * lease syncs, so a tick runs once across all instances. The holder renews the lease at each
   * tick for one period plus the lease TTL, so it stays the leader while it ticks; when it stops
   * (crash, shutdown), another instance takes over at its first tick after the lease ends.
   * A tick never overlaps a sync still running, here or elsewhere (the job's own lease).
   */
  async tick(periodMs: number): Promise<void> {
    const leaseMs = periodMs + this.leases.ttlMs;
    if (!(await this.leases.acquire(RATES_SCHEDULE_LEASE, { ttlMs: leaseMs }))) {
      this.logger.debug('scheduled rates sync skipped: another instance leads the schedule');
      return;
    }
    if (this.jobs.isRunning(RATES_SYNC_JOB_KIND)) {
      this.logger.warn('scheduled rates sync skipped: the previous one is still running');
      return;
    }
    const job = await this.start();
    if (job.owner !== this.leases.owner) {
      this.logger.warn(`scheduled rates sync skipped: ${job.owner} is running one (job ${job.id})`);
    }
  }

  private async sync(progress: JobProgress): Promise<void> {
    const { read, failed, overlaps } = await this.providers.fetchAll();
    for (const { source, reason } of failed) {
      this.logger.warn({ msg: 'rates source failed', source, reason });
    }
    if (overlaps.length > 0) {
      this.logger.warn({ msg: 'rates sources quote the same pairs', overlaps });
    }
    // a source that could not be read counts as one failed unit, its reason among the errors
    const quotes = read.flatMap((r) => r.quotes);
    progress.job.total = quotes.length + failed.length;
    const changed = read.length === 0 ? [] : await this.store(progress.job.id, read);
    const created = changed.filter((c) => c.created).length;
    await progress.add(
      {
        processed: quotes.length + failed.length,
        created,
        updated: changed.length - created,
        unchanged: quotes.length - changed.length,
        failed: failed.length,
      },
      failed.map(({ source, reason }) => `${source}: ${reason}`),
    );
    if (read.length > 0) {
      this.logger.log({
        msg: 'rates synced',
        sources: read.map((r) => r.source),
        failed: failed.map((f) => f.source),
        quotes: quotes.length,
        changed: changed.length,
      });
    }
  }

  /**
   * Every source that answered, in one transaction (a bad write stores none of them), with one
   * `rates.synced` per source saying what that source moved.
   */
  private store(jobId: string, read: SourcesRead['read']): Promise<Change[]> {
    return this.transactions.run(async (tx) => {
      const bases = [...new Set(read.flatMap((r) => r.quotes.map((q) => q.base)))];
      const existing = new Map(
        (await this.items.findByBases(tx, bases)).map((i) => [`${i.base}/${i.code}`, i]),
      );
      const now = new Date();
      const result: Change[] = [];
      for (const { source, quotes } of read) {
        const moved: Change[] = [];
        for (const quote of quotes) {
          const current = existing.get(`${quote.base}/${quote.code}`);
          const change = await this.apply(tx, current, quote, source, now);
          if (change) {
            moved.push(change);
          }
        }
        await this.events.recordMany(
          tx,
          ratesSyncedEvents(
            jobId,
            source,
            moved.map(({ item }) => ({ ...ItemDto.from(item) })),
          ),
        );
        result.push(...moved);
      }
      await this.items.appendHistory(
        tx,
        result.map(({ item }) => ({
          itemId: item.id,
          rate: item.rate,
          source: item.source,
          recordedAt: now,
        })),
      );
      return result;
    });
  }

  private async apply(
    tx: Transaction,
    current: Item | undefined,
    quote: RateQuote,
    source: RateProvider['source'],
    now: Date,
  ): Promise<Change | undefined> {
    if (!current) {
      const item = await this.items.insert(tx, {
        ...quote,
        source,
        createdAt: now,
        updatedAt: now,
      });
      return { item, created: true };
    }
    if (current.rate === quote.rate) {
      return undefined;
    }
    Object.assign(current, { rate: quote.rate, source, updatedAt: now });
    return { item: await this.items.update(tx, current), created: false };
  }
}
