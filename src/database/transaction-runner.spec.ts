import { DataSource, EntityManager } from 'typeorm';
import { GROUP_CAP } from './group-commit';
import { SqlDialect } from './sql-dialect';
import { hotQuery, Transaction } from './transaction';
import { TransactionRunner } from './transaction-runner';

type Callback = (error: Error | null, rows?: unknown[]) => void;

/**
 * An SQLite DataSource stand-in: its sqlite3 handle records every statement run through it, in
 * order, and each trip to it (several statements of one `exec` are one trip), and fails the
 * statements `failing` names (each name once).
 */
function fakeSqlite() {
  const log: string[] = [];
  const trips: string[] = [];
  const failing = new Map<string, Error>();
  const prepared: string[] = [];
  // as in SQLite: a statement that failed stays in progress until reset, and blocks a SAVEPOINT
  const inProgress = new Set<string>();
  let finalized = 0;
  const later = (fn: () => void) => setImmediate(fn);
  const fails = (sql: string) => {
    const error = failing.get(sql);
    failing.delete(sql);
    return error;
  };
  const databaseConnection = {
    exec(sql: string, callback: (error: Error | null) => void) {
      trips.push(sql);
      const statements = sql.split('; ');
      log.push(...statements);
      const blocked =
        inProgress.size > 0 && statements.includes('SAVEPOINT run')
          ? new Error('SQLITE_BUSY: cannot open savepoint - SQL statements in progress')
          : undefined;
      const error = blocked ?? statements.map(fails).find(Boolean);
      later(() => callback(error ?? null));
    },
    prepare(sql: string, done: (error: Error | null) => void) {
      prepared.push(sql);
      later(() => done(null));
      return {
        all(_params: unknown[], callback: Callback) {
          log.push(sql);
          trips.push(sql);
          const error = fails(sql);
          if (error) {
            inProgress.add(sql);
          }
          later(() => (error ? callback(error) : callback(null, [])));
        },
        reset(callback: () => void) {
          inProgress.delete(sql);
          later(callback);
        },
        finalize(callback: () => void) {
          finalized++;
          later(callback);
        },
      };
    },
  };
  const runner = { manager: {} as EntityManager, isTransactionActive: false };
  const dataSource = {
    options: { type: 'sqlite' },
    driver: { databaseConnection },
    createQueryRunner: () => runner,
  } as unknown as DataSource;
  const transactions = new TransactionRunner(dataSource, new SqlDialect({ type: 'sqlite' }));
  return { transactions, log, trips, failing, prepared, runner, finalized: () => finalized };
}

/** What each run ended with: its value, or its error's message. */
async function outcomes(runs: Promise<string>[]): Promise<string[]> {
  return (await Promise.allSettled(runs)).map((r) =>
    r.status === 'fulfilled' ? r.value : `error: ${(r.reason as Error).message}`,
  );
}

/** The statements of a run that shares its transaction and commits, after the one before it. */
const inSavepoint = (n: string) => ['RELEASE run', 'SAVEPOINT run', `work ${n}`, `more ${n}`];

/**
 * A run that writes two statements (`work <name>`, then `more <name>`; a failing run throws
 * between them) and records its hook and result in `trace`.
 */
function traced(transactions: TransactionRunner, trace: string[], name: string, fail = false) {
  return async (tx: Transaction) => {
    await hotQuery(tx, `work ${name}`, []);
    transactions.afterCommit(tx, () => trace.push(`committed ${name}`));
    if (fail) {
      throw new Error(`${name} failed`);
    }
    await hotQuery(tx, `more ${name}`, []);
    return name;
  };
}

/** Starts the runs at once; `trace` gets `resolved x` / `rejected x` as each one settles. */
function startAll(transactions: TransactionRunner, trace: string[], runs: [string, boolean?][]) {
  return runs.map(([name, fail]) =>
    transactions.run(traced(transactions, trace, name, fail)).then(
      (value) => {
        trace.push(`resolved ${value}`);
        return value;
      },
      (error: Error) => {
        trace.push(`rejected ${name}: ${error.message}`);
        throw error;
      },
    ),
  );
}

describe('TransactionRunner on SQLite (group commit)', () => {
  it('runs that arrive while a transaction is in flight share the next one, in call order', async () => {
    const fake = fakeSqlite();
    const trace: string[] = [];
    const results = await Promise.all(
      startAll(fake.transactions, trace, [['a'], ['b'], ['c'], ['d']]),
    );
    expect(results).toEqual(['a', 'b', 'c', 'd']);
    expect(fake.log).toEqual([
      // the first run found nothing in flight: it started alone, without a savepoint
      'BEGIN',
      'work a',
      'more a',
      'COMMIT',
      // one savepoint open through the group: released as the next is taken; COMMIT ends the last
      'BEGIN',
      ...['SAVEPOINT run', 'work b', 'more b'],
      ...inSavepoint('c'),
      ...inSavepoint('d'),
      'COMMIT',
    ]);
    // two statements in one trip at each boundary: 3 runs, 10 trips for the group
    expect(fake.trips.slice(fake.trips.lastIndexOf('COMMIT', -2) + 1)).toEqual([
      'BEGIN; SAVEPOINT run',
      ...['work b', 'more b', 'RELEASE run; SAVEPOINT run'],
      ...['work c', 'more c', 'RELEASE run; SAVEPOINT run'],
      ...['work d', 'more d', 'COMMIT'],
    ]);
    expect(fake.runner.isTransactionActive).toBe(false);
  });

  it('a failing run is rolled back to its savepoint and fails alone; the others commit', async () => {
    const fake = fakeSqlite();
    const trace: string[] = [];
    const runs = startAll(fake.transactions, trace, [['a'], ['b'], ['c', true], ['d']]);
    expect(await outcomes(runs)).toEqual(['a', 'b', 'error: c failed', 'd']);
    // one COMMIT for b, c and d; c's second statement never ran (its work threw first)
    expect(fake.log.slice(fake.log.lastIndexOf('BEGIN'))).toEqual([
      'BEGIN',
      ...['SAVEPOINT run', 'work b', 'more b'],
      ...inSavepoint('c').slice(0, -1),
      // c undone to its savepoint, which stays open: d runs in it from where b left it
      'ROLLBACK TO run',
      ...['work d', 'more d'],
      'COMMIT',
    ]);
    expect(trace).not.toContain('committed c');
  });

  it('after COMMIT: each run its hooks, then its result, in the order the runs executed', async () => {
    const fake = fakeSqlite();
    const trace: string[] = [];
    const runs = startAll(fake.transactions, trace, [['a'], ['b'], ['c', true], ['d']]);
    await Promise.allSettled(runs);
    expect(trace).toEqual([
      'committed a',
      'resolved a',
      // c failed inside the group: it is told at once, before the group commits
      'rejected c: c failed',
      // the group's hooks run one after another; each caller resumes after its own hooks ran
      'committed b',
      'committed d',
      'resolved b',
      'resolved d',
    ]);
  });

  it('what runs gather is written once per group, before COMMIT: the items of the runs that succeeded, in order', async () => {
    const fake = fakeSqlite();
    const trace: string[] = [];
    const writer = async (tx: Transaction, items: string[]) => {
      await hotQuery(tx, `write ${items.join(' ')}`, []);
      fake.transactions.afterCommit(tx, () => trace.push(`wrote ${items.join(' ')}`));
    };
    const gathering =
      (name: string, fail = false) =>
      async (tx: Transaction) => {
        fake.transactions.gather(tx, writer, [`${name}1`]);
        await hotQuery(tx, `work ${name}`, []);
        fake.transactions.gather(tx, writer, [`${name}2`]);
        if (fail) {
          throw new Error(`${name} failed`);
        }
        fake.transactions.afterCommit(tx, () => trace.push(`committed ${name}`));
        return name;
      };
    const runs = ['a', 'b', 'c', 'd'].map((n) => fake.transactions.run(gathering(n, n === 'c')));
    expect(await outcomes(runs)).toEqual(['a', 'b', 'error: c failed', 'd']);
    expect(fake.log).toEqual([
      ...['BEGIN', 'work a', 'write a1 a2', 'COMMIT'],
      ...['BEGIN', 'SAVEPOINT run', 'work b', 'RELEASE run', 'SAVEPOINT run', 'work c'],
      // c is undone, and so is what it gathered: one write for b and d, after the last run
      ...['ROLLBACK TO run', 'work d', 'write b1 b2 d1 d2', 'COMMIT'],
    ]);
    // the writer's hooks first, then each run's
    expect(trace).toEqual([
      'wrote a1 a2',
      'committed a',
      'wrote b1 b2 d1 d2',
      'committed b',
      'committed d',
    ]);
  });

  it('a failed gathered write fails every run of its group; nothing of it commits', async () => {
    const fake = fakeSqlite();
    const writer = (tx: Transaction, items: string[]) =>
      hotQuery(tx, `write ${items.join(' ')}`, []).then(() => undefined);
    const gathering = (name: string) => async (tx: Transaction) => {
      fake.transactions.gather(tx, writer, [name]);
      await hotQuery(tx, `work ${name}`, []);
      return name;
    };
    fake.failing.set('write b c', new Error('disk full'));
    const runs = ['a', 'b', 'c'].map((n) => fake.transactions.run(gathering(n)));
    expect(await outcomes(runs)).toEqual(['a', 'error: disk full', 'error: disk full']);
    expect(fake.log.slice(fake.log.lastIndexOf('BEGIN'))).toEqual([
      ...['BEGIN', 'SAVEPOINT run', 'work b', 'RELEASE run', 'SAVEPOINT run', 'work c'],
      ...['write b c', 'ROLLBACK'],
    ]);
  });

  it('a failed COMMIT fails every run of the group (none committed); the next group goes on', async () => {
    const fake = fakeSqlite();
    const trace: string[] = [];
    const [first, ...group] = startAll(fake.transactions, trace, [['a'], ['b'], ['c']]);
    // a's group holds the writer; b and c wait for the next one, whose COMMIT fails
    await first;
    fake.failing.set('COMMIT', new Error('disk I/O error'));
    expect(await outcomes(group)).toEqual(['error: disk I/O error', 'error: disk I/O error']);
    expect(fake.log.slice(-2)).toEqual(['COMMIT', 'ROLLBACK']);
    expect(trace).not.toContain('committed b');
    expect(trace).not.toContain('committed c');
    expect(fake.runner.isTransactionActive).toBe(false);
    await expect(fake.transactions.run(traced(fake.transactions, trace, 'e'))).resolves.toBe('e');
    expect(trace).toContain('committed e');
  });

  it('a transaction SQLite lost fails the runs in it; those not started go to the next group', async () => {
    const fake = fakeSqlite();
    const trace: string[] = [];
    fake.failing.set('ROLLBACK TO run', new Error('SQLITE_FULL: database or disk is full'));
    const runs = startAll(fake.transactions, trace, [['a'], ['b'], ['c', true], ['d']]);
    // b ran in the lost transaction: it fails with the error that lost it (c's own); d had
    // not started: it commits in the next group
    expect(await outcomes(runs)).toEqual(['a', 'error: c failed', 'error: c failed', 'd']);
    expect(fake.log).toContain('ROLLBACK');
    expect(trace).not.toContain('committed b');
    expect(trace).toContain('committed d');
  });

  it('a run alone that fails rolls its transaction back; the next one goes on', async () => {
    const fake = fakeSqlite();
    const trace: string[] = [];
    expect(await outcomes(startAll(fake.transactions, trace, [['a', true]]))).toEqual([
      'error: a failed',
    ]);
    expect(fake.log).toEqual(['BEGIN', 'work a', 'ROLLBACK']);
    expect(fake.runner.isTransactionActive).toBe(false);
    expect(await outcomes(startAll(fake.transactions, trace, [['b']]))).toEqual(['b']);
    expect(trace).toEqual(['rejected a: a failed', 'committed b', 'resolved b']);
  });

  it('a failed BEGIN fails that group only', async () => {
    const fake = fakeSqlite();
    fake.failing.set('BEGIN', Object.assign(new Error('SQLITE_BUSY'), { code: 'SQLITE_BUSY' }));
    const failed = fake.transactions.run(() => Promise.resolve('never'));
    await expect(failed).rejects.toThrow('SQLITE_BUSY');
    await expect(fake.transactions.run(() => Promise.resolve('ok'))).resolves.toBe('ok');
  });

  it('a statement that failed is reset: the next group can take its savepoints', async () => {
    const fake = fakeSqlite();
    fake.failing.set('work a', new Error('SQLITE_BUSY: database is locked'));
    const trace: string[] = [];
    const [a] = startAll(fake.transactions, trace, [['a']]);
    await expect(a).rejects.toThrow('database is locked');
    const runs = startAll(fake.transactions, trace, [['b'], ['c'], ['d']]);
    expect(await outcomes(runs)).toEqual(['b', 'c', 'd']);
  });

  it('a BEGIN whose SAVEPOINT failed is rolled back: that group fails, the next one begins', async () => {
    const fake = fakeSqlite();
    // the first run goes alone; the two queued behind it share the next BEGIN, with a savepoint
    fake.failing.set('SAVEPOINT run', new Error('SQLITE_BUSY: cannot open savepoint'));
    const runs = ['a', 'b', 'c'].map((n) => fake.transactions.run(() => Promise.resolve(n)));
    expect(await outcomes(runs)).toEqual([
      'a',
      'error: SQLITE_BUSY: cannot open savepoint',
      'error: SQLITE_BUSY: cannot open savepoint',
    ]);
    await expect(fake.transactions.run(() => Promise.resolve('d'))).resolves.toBe('d');
    expect(fake.log.slice(fake.log.indexOf('SAVEPOINT run'))).toEqual([
      ...['SAVEPOINT run', 'ROLLBACK'],
      ...['BEGIN', 'COMMIT'],
    ]);
  });

  it(`caps a group at ${GROUP_CAP} runs, keeping FIFO order across groups`, async () => {
    const fake = fakeSqlite();
    const trace: string[] = [];
    const names = Array.from({ length: 2 * GROUP_CAP + 2 }, (_, i) => [`r${i}`] as [string]);
    await Promise.all(startAll(fake.transactions, trace, names));
    const sizes: number[] = [];
    for (const sql of fake.log) {
      if (sql === 'BEGIN') {
        sizes.push(0);
      } else if (sql.startsWith('work ')) {
        sizes[sizes.length - 1]++;
      }
    }
    expect(sizes).toEqual([1, GROUP_CAP, GROUP_CAP, 1]);
    expect(trace.filter((t) => t.startsWith('resolved'))).toEqual(
      names.map(([n]) => `resolved ${n}`),
    );
  });

  it('after shutdown, before any write: a write is refused, nothing prepared', async () => {
    const fake = fakeSqlite();
    await fake.transactions.close();
    await expect(fake.transactions.run(() => Promise.resolve())).rejects.toThrow(
      'Connection is not established',
    );
    expect(fake.prepared).toEqual([]);
  });

  it('prepares each statement once, and finalizes them all at shutdown', async () => {
    const fake = fakeSqlite();
    const trace: string[] = [];
    await Promise.all(startAll(fake.transactions, trace, [['a'], ['a'], ['a']]));
    // the savepoint steps go through exec, two statements in one trip, never prepared
    expect(fake.prepared.sort()).toEqual(['BEGIN', 'COMMIT', 'more a', 'work a'].sort());
    await fake.transactions.close();
    expect(fake.finalized()).toBe(4);
    // after shutdown a write is refused as the database being unavailable, not prepared anew
    await expect(fake.transactions.run(() => Promise.resolve())).rejects.toThrow(
      'Connection is not established',
    );
  });
});
