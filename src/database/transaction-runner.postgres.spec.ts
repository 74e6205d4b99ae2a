import { DataSource, EntityManager } from 'typeorm';
import { SqlDialect } from './sql-dialect';
import { TransactionRunner } from './transaction-runner';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('TransactionRunner on PostgreSQL', () => {
  it('lets transactions overlap', async () => {
    let open = 0;
    let maxOpen = 0;
    const dataSource = {
      options: { type: 'postgres' },
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
    const runner = new TransactionRunner(dataSource, new SqlDialect({ type: 'postgres' }));
    const committed: number[] = [];
    await Promise.all(
      [1, 2, 3].map((i) =>
        runner.run(async (tx) => {
          runner.afterCommit(tx, () => committed.push(i));
          await tick();
        }),
      ),
    );
    expect(maxOpen).toBe(3);
    expect(committed.sort()).toEqual([1, 2, 3]);
  });
});
