import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { appConfig } from '../config/app.config';
import { clusterConfig } from '../config/cluster.config';
import { TransactionRunner } from '../database/transaction-runner';
import { LeasesRepository } from './leases.repository';
import { Transaction } from '../database/transaction';

/**
 * Leases held by this instance, named in the database: what makes "once across all instances"
 * true for the scheduled sync and for jobs. The owner is this instance's id (the `origin` of its
 * events). A crashed holder never releases: its lease simply expires after `ttlMs`.
 */
@Injectable()
export class LeasesService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(LeasesService.name);
  /** Names this instance took and has not given up: released at shutdown. */
  private readonly held = new Set<string>();
  readonly owner: string;
  readonly ttlMs: number;

  constructor(
    private readonly leases: LeasesRepository,
    private readonly transactions: TransactionRunner,
    @Inject(appConfig.KEY) app: ConfigType<typeof appConfig>,
    @Inject(clusterConfig.KEY) cluster: ConfigType<typeof clusterConfig>,
  ) {
    this.owner = app.instanceId;
    this.ttlMs = cluster.leaseTtlMs;
  }

  /**
   * Takes `name`, or renews it when this instance holds it already; false while another
   * instance holds it. Given `tx`, the lease commits (or rolls back) with the caller's writes.
   */
  async acquire(
    name: string,
    { ttlMs = this.ttlMs, tx }: { ttlMs?: number; tx?: Transaction } = {},
  ): Promise<boolean> {
    const taken = tx
      ? await this.leases.acquire(tx, name, this.owner, ttlMs)
      : await this.transactions.run((t) => this.leases.acquire(t, name, this.owner, ttlMs));
    if (taken) {
      this.held.add(name);
    } else {
      this.held.delete(name);
    }
    return taken;
  }

  /** Extends a lease this instance holds; false when it expired or another instance took it. */
  async renew(name: string, ttlMs = this.ttlMs): Promise<boolean> {
    const renewed = await this.transactions.run((tx) =>
      this.leases.renew(tx, name, this.owner, ttlMs),
    );
    if (!renewed) {
      this.held.delete(name);
    }
    return renewed;
  }

  async release(name: string, tx?: Transaction): Promise<void> {
    this.held.delete(name);
    await (tx
      ? this.leases.release(tx, name, this.owner)
      : this.transactions.run((t) => this.leases.release(t, name, this.owner)));
  }

  /** Unexpired leases of every instance: name → owner. */
  live(): Promise<Map<string, string>> {
    return this.leases.live();
  }

  /** Before the database closes: what this instance still holds goes to the others at once. */
  async beforeApplicationShutdown(): Promise<void> {
    for (const name of [...this.held]) {
      await this.release(name).catch((error: unknown) =>
        this.logger.warn(`could not release lease ${name}: ${String(error)}`),
      );
    }
  }
}
