import { DataSource } from 'typeorm';
import { Product } from '../../src/products/entities/product.entity';
import { pollUntil } from './poll';
import type { TestApp } from './test-app';

/** A job as GET /tasks/{id} answers it (and POST /tasks/run, POST /products/refresh_all). */
export interface JobBody {
  job_id: string;
  kind: string;
  state: string;
  total: number;
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  not_found: number;
  failed: number;
  errors: string[];
  started_at: string;
  finished_at: string | null;
  status_url: string;
}

/** Polls a job's status URL until the job has left `running`; returns it as it ended. */
export function jobEnd(
  t: TestApp,
  url: string,
  options?: Parameters<typeof pollUntil>[2],
): Promise<JobBody> {
  return pollUntil(
    async () => (await t.http.get(url)).body as JobBody,
    (job) => job.state !== 'running',
    options,
  );
}

/** Products with external ids 1..n, straight into the table, as an earlier import left them. */
export async function seedProducts(db: DataSource, n: number): Promise<void> {
  const now = new Date();
  for (let start = 1; start <= n; start += 500) {
    const rows = Array.from({ length: Math.min(500, n - start + 1) }, (_, i) => ({
      name: 'stale name',
      description: '',
      price: 0,
      externalId: String(start + i),
      createdAt: now,
      updatedAt: now,
    }));
    await db.getRepository(Product).insert(rows);
  }
}
