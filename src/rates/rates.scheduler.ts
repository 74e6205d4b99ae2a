import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { Cron, SchedulerRegistry } from '@nestjs/schedule';
import { CronTime } from 'cron';
import { ratesConfig } from '../config/rates.config';
import { RatesSyncService } from './rates-sync.service';

/** The schedule's name in the SchedulerRegistry (its interval and first run are named after it). */
const RATES_SYNC_SCHEDULE = 'rates.sync.schedule';
/** Never fires: the real time is set from validated config at startup (decorator arguments are read too early). */
const PLACEHOLDER = '0 0 0 1 1 *';

/** The cron expression for "every n seconds", when one exists (n divides a minute or an hour evenly). */
export function cronForInterval(seconds: number): string | undefined {
  if (seconds < 60 && 60 % seconds === 0) {
    return `*/${seconds} * * * * *`;
  }
  const minutes = seconds / 60;
  if (Number.isInteger(minutes) && minutes < 60 && 60 % minutes === 0) {
    return `0 */${minutes} * * * *`;
  }
  return undefined;
}

/** Milliseconds between two runs of a cron expression (from its next two run times). */
export function cronPeriodMs(expression: string): number {
  const [first, second] = new CronTime(expression).sendAt(2);
  return second.toMillis() - first.toMillis();
}

/** Only timing lives here; the work is RatesSyncService's. */
@Injectable()
export class RatesScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RatesScheduler.name);
  /** Time between ticks: how long the instance that leads the schedule keeps its lease. */
  private periodMs = 0;

  constructor(
    private readonly sync: RatesSyncService,
    private readonly registry: SchedulerRegistry,
    @Inject(ratesConfig.KEY) private readonly config: ConfigType<typeof ratesConfig>,
  ) {}

  @Cron(PLACEHOLDER, { name: RATES_SYNC_SCHEDULE, disabled: true })
  async tick(): Promise<void> {
    try {
      await this.sync.tick(this.periodMs);
    } catch (error) {
      this.logger.error(`scheduled rates sync could not start: ${String(error)}`);
    }
  }

  onApplicationBootstrap(): void {
    const { cron, intervalSeconds, firstRunDelayMs } = this.config;
    if (!cron && intervalSeconds === 0) {
      this.logger.log('scheduled rates sync is off (TASK_INTERVAL_SECONDS=0)');
      return;
    }
    const expression = cron || cronForInterval(intervalSeconds);
    this.periodMs = expression ? cronPeriodMs(expression) : intervalSeconds * 1000;
    if (expression) {
      const job = this.registry.getCronJob(RATES_SYNC_SCHEDULE);
      job.setTime(new CronTime(expression));
      job.start();
      this.logger.log(`rates sync scheduled: "${expression}"`);
    } else {
      this.registry.addInterval(
        `${RATES_SYNC_SCHEDULE}.interval`,
        setInterval(() => void this.tick(), intervalSeconds * 1000),
      );
      this.logger.log(`rates sync scheduled every ${intervalSeconds} s`);
    }
    this.registry.addTimeout(
      `${RATES_SYNC_SCHEDULE}.first`,
      setTimeout(() => void this.tick(), firstRunDelayMs),
    );
  }

  /** First step of a shutdown: no tick may start a sync while running jobs are being stopped. */
  onModuleDestroy(): void {
    void this.registry.getCronJob(RATES_SYNC_SCHEDULE).stop();
    if (this.registry.doesExist('interval', `${RATES_SYNC_SCHEDULE}.interval`)) {
      this.registry.deleteInterval(`${RATES_SYNC_SCHEDULE}.interval`);
    }
    if (this.registry.doesExist('timeout', `${RATES_SYNC_SCHEDULE}.first`)) {
      this.registry.deleteTimeout(`${RATES_SYNC_SCHEDULE}.first`);
    }
  }
}
