/** The lease that makes a job of `kind` run on one instance at a time, cluster-wide. */
export const jobLease = (kind: string): string => `job:${kind}`;

/** The context of the runner's and the sweeper's log lines (one service before they were split). */
export const JOBS_LOG_CONTEXT = 'JobsService';
