/** The lease that makes a job of `kind` run on one instance at a time, cluster-wide. */
export const jobLease = (kind: string): string => `job:${kind}`;

/** The runner and the sweeper log as one service: one context to filter a job's lines by. */
export const JOBS_LOG_CONTEXT = 'JobsService';
