import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { retentionConfig } from '../config/retention.config';
import { Transaction } from '../database/transaction';
import { TransactionRunner } from '../database/transaction-runner';
import { JobsRepository } from '../jobs/jobs.repository';
import { LeasesService } from '../leases/leases.service';
import { MetricsService } from '../metrics/metrics.service';
import { ItemsRepository } from '../rates/items.repository';

/** Held by the instance that prunes: one at a time across the cluster. */
const RETENTION_LEASE = 'schedule:retention';
/** Rows per delete: each batch is its own short transaction, so other writers queue briefly. */
const PRUNE_BATCH = 1000;
const DAY_MS = 86_400_000;

type PruneBatch = (tx: Transaction, before: Date, limit: number) => Promise<number>;

/**
 * Deletes rate history points past HISTORY_RETENTION_DAYS and ended jobs past
 * JOBS_RETENTION_DAYS, shortly after startup and then every RETENTION_PRUNE_INTERVAL_SECONDS.
 * Like the rates schedule, the instance that prunes keeps its lease for one period at a time,
 * so the others skip their ticks while it lives.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Retention');
  private timers: NodeJS.Timeout[] = [];
  private running?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly items: ItemsRepository,
    private readonly jobs: JobsRepository,
    private readonly transactions: TransactionRunner,
    private readonly leases: LeasesService,
    private readonly metrics: MetricsService,
    @Inject(retentionConfig.KEY) private readonly config: ConfigType<typeof retentionConfig>,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.historyDays === 0 && this.config.jobsDays === 0) {
      return;
    }
    const first = setTimeout(() => this.tick(), this.config.firstRunDelayMs);
    const every = setInterval(() => this.tick(), this.config.intervalMs);
    first.unref();
    every.unref();
    this.timers = [first, every];
  }

  /** Before the database closes: the batch in progress finishes, no other starts. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.timers.forEach((timer) => clearTimeout(timer));
    await this.running;
  }

  private tick(): void {
    if (this.running || this.stopping) {
      return;
    }
    this.running = this.pruneOnce()
      .then(() => undefined)
      .catch((error: unknown) => this.logger.warn(`pruning old rows failed: ${String(error)}`))
      .finally(() => {
        this.running = undefined;
      });
  }

  /** One prune, when this instance holds the lease; what it deleted, by table. */
  async pruneOnce(): Promise<{ history: number; jobs: number } | undefined> {
    const ttlMs = this.config.intervalMs + this.leases.ttlMs;
    if (!(await this.leases.acquire(RETENTION_LEASE, { ttlMs }))) {
      return undefined;
    }
    const { historyDays, jobsDays } = this.config;
    const history = await this.prune('item_history', historyDays, (tx, before, limit) =>
      this.items.pruneHistory(tx, before, limit),
    );
    const jobs = await this.prune('jobs', jobsDays, (tx, before, limit) =>
      this.jobs.pruneEnded(tx, before, limit),
    );
    if (history + jobs > 0) {
      this.logger.log(
        `pruned ${history} rate history point(s) older than ${historyDays} days and ` +
          `${jobs} ended job(s) older than ${jobsDays} days`,
      );
    }
    return { history, jobs };
  }

  /** Deletes in batches until one comes back short; the event loop is given back between them. */
  private async prune(table: string, days: number, batch: PruneBatch): Promise<number> {
    if (days === 0) {
      return 0;
    }
    const before = new Date(Date.now() - days * DAY_MS);
    let total = 0;
    while (!this.stopping) {
      const deleted = await this.transactions.run((tx) => batch(tx, before, PRUNE_BATCH));
      total += deleted;
      this.metrics.retentionPruned(table, deleted);
      if (deleted < PRUNE_BATCH) {
        break;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    return total;
  }
}
