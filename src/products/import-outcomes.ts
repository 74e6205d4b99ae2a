/**
 * The rules of an import, as pure functions: what each fetched id's outcome is, how outcomes
 * are counted, and when a whole fetch_external call fails instead of answering per id.
 */
import { DomainError, ErrorCode } from '../common/domain-error';
import { ExternalProduct } from '../external/product-source';
import { saysUpstreamIsDown, UpstreamError, UpstreamFailure } from '../external/upstream-error';
import type { JobCounts } from '../jobs/entities/job.entity';
import { Product } from './entities/product.entity';
import { UpsertAction } from './products.repository';

export const FETCH_STATUSES = ['created', 'updated', 'unchanged', 'not_found', 'failed'] as const;
export type FetchStatus = (typeof FETCH_STATUSES)[number];

export interface FetchOutcome {
  externalId: string;
  status: FetchStatus;
  product: Product | null;
  error: string | null;
  failure?: UpstreamFailure;
}

/** The import's tally of its outcomes, by status. */
interface OutcomeCounts {
  created: number;
  updated: number;
  unchanged: number;
  notFound: number;
  failed: number;
}

export interface FetchSummary extends OutcomeCounts {
  requested: number;
  results: FetchOutcome[];
}

export const notFoundUpstream = (externalId: string): FetchOutcome => ({
  externalId,
  status: 'not_found',
  product: null,
  error: 'not found upstream',
});

export const failedUpstream = (externalId: string, error: UpstreamError): FetchOutcome => ({
  externalId,
  status: 'failed',
  product: null,
  error: error.message,
  failure: error.failure,
});

/** The database refused this product's row (the rest of its batch was written without it). */
export const refusedByDatabase = (externalId: string, error: unknown): FetchOutcome => ({
  externalId,
  status: 'failed',
  product: null,
  error: `the database refused it: ${(error instanceof Error ? error.message : String(error)).slice(0, 300)}`,
});

/** A fetched product needs a write unless the stored one has the same content already. */
export function needsWrite(current: Product | undefined, fetched: ExternalProduct): boolean {
  return (
    !current ||
    current.name !== fetched.name ||
    current.description !== fetched.description ||
    current.price !== fetched.price
  );
}

/**
 * The outcome of a fetched product after the batch write. `action` is what the write did (none
 * for a product that needed no write, or one a concurrent writer had stored the same already);
 * `fresh` is the row read back after the write, when there is one; `current` the row before it.
 */
export function writtenOutcome(
  record: ExternalProduct,
  current: Product | undefined,
  action: UpsertAction | undefined,
  fresh: Product | undefined,
  now: Date,
): FetchOutcome {
  const { externalId } = record;
  if (action === 'created') {
    return { externalId, status: 'created', product: fresh ?? null, error: null };
  }
  if (action === undefined) {
    return { externalId, status: 'unchanged', product: fresh ?? current ?? null, error: null };
  }
  const product =
    fresh ??
    Object.assign(current as Product, {
      name: record.name,
      description: record.description,
      price: record.price,
      updatedAt: now,
    });
  return { externalId, status: 'updated', product, error: null };
}

function countOutcomes(results: FetchOutcome[]): OutcomeCounts {
  const count = (status: FetchStatus) => results.filter((r) => r.status === status).length;
  return {
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    notFound: count('not_found'),
    failed: count('failed'),
  };
}

export function summarize(results: FetchOutcome[]): FetchSummary {
  return { requested: results.length, ...countOutcomes(results), results };
}

/** What a page of a refresh adds to its job: every id processed, and why the bad ones were. */
export function jobProgressOf(results: FetchOutcome[]): {
  counts: Partial<JobCounts>;
  errors: string[];
} {
  return {
    counts: { processed: results.length, ...countOutcomes(results) },
    errors: results
      .filter((r) => r.status === 'failed' || r.status === 'not_found')
      .map((r) => `external_id ${r.externalId}: ${r.error ?? r.status}`),
  };
}

/** 503 with Retry-After while the upstream's breaker is open: no id is attempted. */
export function circuitOpenError(openForSeconds: number | undefined): DomainError | undefined {
  if (openForSeconds === undefined) {
    return undefined;
  }
  return new DomainError(
    ErrorCode.CircuitOpen,
    'the external product API is failing; calls are paused',
    undefined,
    openForSeconds,
  );
}

/**
 * 502 when every id failed because the upstream is down or erring, 504 when all of those that
 * were attempted timed out; otherwise (any id answered, or was refused for itself) undefined:
 * the call answers 200 with its per-id results.
 */
export function allDownError(summary: FetchSummary): DomainError | undefined {
  const failures = summary.results.map((r) => r.failure);
  if (
    summary.failed !== summary.requested ||
    !failures.every((f) => f !== undefined && saysUpstreamIsDown(f))
  ) {
    return undefined;
  }
  // ids refused by an open breaker say nothing about why the upstream failed
  const attempted = failures.filter((f) => f !== 'circuit_open');
  const timedOut = attempted.length > 0 && attempted.every((f) => f === 'timeout');
  return new DomainError(
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
