import { DataSource, EntityManager } from 'typeorm';
import { SqlDialect } from './sql-dialect';
import { TransactionRunner } from './transaction-runner';

/** A DataSource stand-in that records when transactions start and end. */
function fakeDataSource(type: 'sqlite' | 'postgres') {
  const events: string[] = [];
  let open = 0;
  let maxOpen = 0;
  const dataSource = {
    options: { type },
    transaction: async <T>(work: (m: EntityManager) => Promise<T>): Promise<T> => {
      open++;
      maxOpen = Math.max(maxOpen, open);
      try {
        return await work({} as EntityManager);
      } finally {
        open--;
      }
    },
  } as unknown as DataSource;
  return { dataSource, events, maxOpen: () => maxOpen };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('TransactionRunner', () => {
  it('runs SQLite transactions one at a time, in call order', async () => {
    const fake = fakeDataSource('sqlite');
    const runner = new TransactionRunner(fake.dataSource, new SqlDialect(fake.dataSource.options));
    const order: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        runner.run(async () => {
          await tick();
          order.push(i);
        }),
      ),
    );
    expect(fake.maxOpen()).toBe(1);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps the SQLite queue moving after a failed transaction', async () => {
    const runner = new TransactionRunner(
      fakeDataSource('sqlite').dataSource,
      new SqlDialect({ type: 'sqlite' }),
    );
    const failed = runner.run(() => Promise.reject(new Error('boom')));
    const next = runner.run(() => Promise.resolve('ok'));
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });

  it('lets PostgreSQL transactions overlap', async () => {
    const fake = fakeDataSource('postgres');
    const runner = new TransactionRunner(fake.dataSource, new SqlDialect(fake.dataSource.options));
    await Promise.all([1, 2, 3].map(() => runner.run(tick)));
    expect(fake.maxOpen()).toBe(3);
  });
});
