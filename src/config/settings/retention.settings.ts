import { IntSetting } from './setting-decorators';

/** How long old rows are kept, and how often they are pruned. */
export class RetentionSettings {
  /** Rate history points older than this many days are pruned; 0 keeps them all. */
  @IntSetting('HISTORY_RETENTION_DAYS must be an integer between 0 and 36500', 0, 36500)
  HISTORY_RETENTION_DAYS = 0;

  /** Ended jobs (never running ones) older than this many days are pruned; 0 keeps them all. */
  @IntSetting('JOBS_RETENTION_DAYS must be an integer between 0 and 36500', 0, 36500)
  JOBS_RETENTION_DAYS = 30;

  /** Time between two prunes (the first runs shortly after startup). */
  @IntSetting('RETENTION_PRUNE_INTERVAL_SECONDS must be an integer between 1 and 86400', 1, 86400)
  RETENTION_PRUNE_INTERVAL_SECONDS = 600;
}
