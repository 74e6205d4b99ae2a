import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { mapWithLimit } from '../common/map-with-limit';
import { untilAborted } from '../common/until-aborted';
import { externalConfig } from '../config/external.config';
import { ExternalProduct, ProductSource } from '../external/product-source';
import { UpstreamError } from '../external/upstream-error';
import { Job } from '../jobs/entities/job.entity';
import { JobProgress } from '../jobs/job-progress';
import { JobRunner } from '../jobs/job-runner.service';
import {
  allDownError,
  circuitOpenError,
  failedUpstream,
  FetchOutcome,
  FetchSummary,
  jobProgressOf,
  notFoundUpstream,
  summarize,
} from './import-outcomes';
import { ProductBatchWriter } from './product-batch-writer';
import { ProductsRepository } from './products.repository';

/** The kind of the refresh job: in its record, its events and the `jobs` metric. */
const PRODUCTS_REFRESH_JOB_KIND = 'products.refresh';
/** Products read per page by refresh_all: memory stays flat however many there are. */
const REFRESH_PAGE = 200;

interface PageFetch {
  fetched: Promise<(FetchOutcome | ExternalProduct)[]>;
}

/** Mirrors products from the external API: fetch_external (synchronous) and refresh_all (a job). */
@Injectable()
export class ProductImportService {
  constructor(
    private readonly source: ProductSource,
    private readonly products: ProductsRepository,
    private readonly writer: ProductBatchWriter,
    private readonly jobs: JobRunner,
    @Inject(externalConfig.KEY) private readonly external: ConfigType<typeof externalConfig>,
  ) {}

  async fetchExternal(externalIds: string[]): Promise<FetchSummary> {
    const paused = circuitOpenError(this.source.circuitOpenFor());
    if (paused) {
      throw paused;
    }
    const summary = summarize(await this.writer.write(await this.fetchAll(externalIds)));
    const failed = allDownError(summary);
    if (failed) {
      throw failed;
    }
    return summary;
  }

  refreshAll(): Promise<Job> {
    return this.jobs.startExclusive(
      PRODUCTS_REFRESH_JOB_KIND,
      () => this.products.countWithExternalId(),
      (progress) => this.refresh(progress),
    );
  }

  /**
   * Pages through the products by id. Two pages are being fetched while the one before them is
   * written, so the upstream (the slow part) never waits for the database and the concurrency
   * slots never drain at a page boundary; pages are small, so what the main thread holds at any
   * moment (and each write's slice of its time) stays small.
   */
  private async refresh(progress: JobProgress): Promise<void> {
    let afterId = 0;
    const fetchNextPage = async (): Promise<PageFetch | undefined> => {
      if (progress.signal.aborted) {
        return undefined;
      }
      const page = await this.products.externalIdsAfter(afterId, REFRESH_PAGE);
      if (page.length === 0) {
        return undefined;
      }
      afterId = page[page.length - 1].id;
      const fetched = this.fetchAll(page.map((p) => p.externalId));
      // awaited in turn below; until then a failure must not count as unhandled
      fetched.catch(() => undefined);
      return { fetched };
    };
    const pages = [await fetchNextPage(), await fetchNextPage()];
    for (let page = pages.shift(); page; page = pages.shift()) {
      // on shutdown, stop at once: the job is marked, and what is still in flight is dropped
      const fetched = await untilAborted(page.fetched, progress.signal);
      if (!fetched) {
        return;
      }
      const [results, next] = await Promise.all([this.writer.write(fetched), fetchNextPage()]);
      pages.push(next);
      const { counts, errors } = jobProgressOf(results);
      await progress.add(counts, errors);
    }
  }

  /**
   * Fetches every id concurrently. The External module bounds how many are in flight; twice
   * that many are handed to it at a time, enough to keep it busy, so the main thread does not
   * hold a pending call for every id of a page (long-lived pending calls make the garbage
   * collector's young-generation pauses long, and GET requests wait for those).
   */
  private fetchAll(externalIds: string[]): Promise<(FetchOutcome | ExternalProduct)[]> {
    return mapWithLimit(
      externalIds,
      2 * this.external.concurrency,
      async (externalId): Promise<FetchOutcome | ExternalProduct> => {
        try {
          return (await this.source.fetch(externalId)) ?? notFoundUpstream(externalId);
        } catch (error) {
          if (error instanceof UpstreamError) {
            return failedUpstream(externalId, error);
          }
          throw error;
        }
      },
    );
  }
}
