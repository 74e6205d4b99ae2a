import { registerAs } from '@nestjs/config';
import { validatedEnv } from './validated-env';

/** Retention of the rate history and of ended jobs (0 days = keep all). */
export const retentionConfig = registerAs('retention', () => {
  const env = validatedEnv();
  return {
    historyDays: env.HISTORY_RETENTION_DAYS,
    jobsDays: env.JOBS_RETENTION_DAYS,
    intervalMs: env.RETENTION_PRUNE_INTERVAL_SECONDS * 1000,
    /** Delay of the first prune after start: the startup's own work goes first. */
    firstRunDelayMs: Math.min(10_000, env.RETENTION_PRUNE_INTERVAL_SECONDS * 1000),
  };
});
