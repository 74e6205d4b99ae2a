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

/** The kind of the job a sync runs as: in its record, its events and the `jobs` metric. */
const RATES_SYNC_JOB_KIND = 'rates.sync';
/** Held by the instance that runs the scheduled syncs. */
const RATES_SCHEDULE_LEASE = 'schedule:rates.sync';

/**
 * Pulls the rates from the configured source and stores them: all or nothing, in one
 * transaction, with a history point per changed rate, recorded as a `rates.sync` job.
 */
@Injectable()
export class RatesSyncService {
  private readonly logger = new Logger(RatesSyncService.name);

  constructor(
    private readonly provider: RateProvider,
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
    // a failure here (upstream down, bad body, non-positive rate) fails the job before anything is written
    const quotes = await this.provider.fetch();
    progress.job.total = quotes.length;
    const changed = await this.transactions.run(async (tx) => {
      const bases = [...new Set(quotes.map((q) => q.base))];
      const existing = new Map(
        (await this.items.findByBases(tx, bases)).map((i) => [`${i.base}/${i.code}`, i]),
      );
      const now = new Date();
      const result: { item: Item; created: boolean }[] = [];
      for (const quote of quotes) {
        const change = await this.apply(
          tx,
          existing.get(`${quote.base}/${quote.code}`),
          quote,
          now,
        );
        if (change) {
          result.push(change);
        }
      }
      await this.events.recordMany(
        tx,
        ratesSyncedEvents(
          progress.job.id,
          this.provider.source,
          result.map(({ item }) => ({ ...ItemDto.from(item) })),
        ),
      );
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
    const created = changed.filter((c) => c.created).length;
    await progress.add({
      processed: quotes.length,
      created,
      updated: changed.length - created,
      unchanged: quotes.length - changed.length,
    });
    this.logger.log({
      msg: 'rates synced',
      source: this.provider.source,
      quotes: quotes.length,
      changed: changed.length,
    });
  }

  private async apply(
    tx: Transaction,
    current: Item | undefined,
    quote: RateQuote,
    now: Date,
  ): Promise<{ item: Item; created: boolean } | undefined> {
    if (!current) {
      const item = await this.items.insert(tx, {
        ...quote,
        source: this.provider.source,
        createdAt: now,
        updatedAt: now,
      });
      return { item, created: true };
    }
    if (current.rate === quote.rate) {
      return undefined;
    }
    Object.assign(current, { rate: quote.rate, source: this.provider.source, updatedAt: now });
    return { item: await this.items.update(tx, current), created: false };
  }
}
