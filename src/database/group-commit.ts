import { Transaction, runCommitted, runWork, writeGathered } from './transaction';

/** Runs per physical transaction at most: one COMMIT never holds the writer for long. */
export const GROUP_CAP = 64;

/** The physical transaction a group shares, one step at a time (one connection, no overlap). */
export interface GroupSession {
  /** BEGIN, and with `withSavepoint` the first run's SAVEPOINT. */
  begin(withSavepoint: boolean): Promise<void>;
  /** RELEASE of the run that succeeded, SAVEPOINT of the next. */
  nextSavepoint(): Promise<void>;
  /** Undoes the run since its SAVEPOINT, which stays open for the next run. */
  rollbackToSavepoint(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /** A fresh handle on the group's connection: the group's own, or one run's in the group `of`. */
  transaction(of?: Transaction): Transaction;
  close(): Promise<void>;
}

interface QueuedRun {
  work: (tx: Transaction) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface DoneRun {
  run: QueuedRun;
  tx: Transaction;
  value: unknown;
}

/** The physical transaction is gone: what its runs wrote will not commit. */
class TransactionLost extends Error {
  constructor(readonly reason: unknown) {
    super('the group transaction was lost');
  }
}

/**
 * Group commit on one connection. Runs queue in arrival order; those that arrive while a
 * physical transaction is in flight share the next one: one BEGIN, each run in its own SAVEPOINT
 * (its work; what the runs gathered, their events, is written once after the last of them,
 * in the order they ran, which is commit order; a run alone needs none), one COMMIT, then each
 * run's after-commit hooks and its result, in order. A run that throws is rolled back to its savepoint and fails alone;
 * the others go on. One savepoint stays open through the group: a run that succeeded is
 * released as the next one's is taken (one step), one that failed leaves it at its start for the
 * next, and COMMIT releases the last.
 */
export class GroupCommit {
  private readonly queue: QueuedRun[] = [];
  private draining?: Promise<void>;

  constructor(
    private readonly session: GroupSession,
    private readonly cap = GROUP_CAP,
  ) {}

  run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.draining ??= this.drain();
    });
  }

  /** Waits for the groups queued so far, then releases the session's statements. */
  async close(): Promise<void> {
    await this.draining;
    await this.session.close();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue.splice(0, this.cap);
      // a settled run ignores this; it only keeps a bug from leaving runs pending forever
      await this.commit(group).catch((error) => group.forEach((run) => run.reject(error)));
    }
    this.draining = undefined;
  }

  private async commit(group: QueuedRun[]): Promise<void> {
    // a run alone needs no savepoint: its own failure rolls the whole transaction back
    const nested = group.length > 1;
    try {
      await this.session.begin(nested);
    } catch (error) {
      // nothing ran: the group fails as one transaction would (a lock, a closed database); a
      // BEGIN whose SAVEPOINT failed is rolled back, or every later BEGIN would fail
      await this.session.rollback().catch(() => undefined);
      group.forEach((run) => run.reject(error));
      return;
    }
    const groupTx = this.session.transaction();
    const done: DoneRun[] = [];
    let previousCommits = false;
    for (const [i, run] of group.entries()) {
      try {
        if (previousCommits) {
          await this.session.nextSavepoint();
        }
        const tx = this.session.transaction(groupTx);
        const outcome = await this.execute(run, tx, nested);
        previousCommits = outcome !== undefined;
        if (outcome) {
          done.push({ run, tx, value: outcome.value });
        }
      } catch (error) {
        await this.session.rollback().catch(() => undefined);
        const reason = error instanceof TransactionLost ? error.reason : error;
        run.reject(reason);
        done.forEach((d) => d.run.reject(reason));
        // the runs not started yet lose nothing: they go first into the next group, in order
        this.queue.unshift(...group.slice(i + 1));
        return;
      }
    }
    if (!nested && done.length === 0) {
      return;
    }
    try {
      // what the runs gathered (their events) is written once for all of them
      await writeGathered(groupTx);
      await this.session.commit();
    } catch (error) {
      // If that or the COMMIT itself fails, none of the group committed: every run of it fails
      // with that error (SQLite may keep the transaction open after a failed COMMIT; roll back).
      await this.session.rollback().catch(() => undefined);
      done.forEach((d) => d.run.reject(error));
      return;
    }
    runCommitted(groupTx);
    for (const { run, tx, value } of done) {
      try {
        runCommitted(tx);
        run.resolve(value);
      } catch (error) {
        run.reject(error);
      }
    }
  }

  /**
   * One run, inside its savepoint (taken already) when it shares the transaction: its value, or
   * undefined when its own work failed (rejected already: its writes are undone, so nothing of it
   * can commit). Throws when the physical transaction is lost.
   */
  private async execute(
    run: QueuedRun,
    tx: Transaction,
    nested: boolean,
  ): Promise<{ value: unknown } | void> {
    let value: unknown;
    try {
      value = await runWork(tx, run.work);
    } catch (error) {
      try {
        if (nested) {
          await this.session.rollbackToSavepoint();
        } else {
          await this.session.rollback();
        }
      } catch {
        // SQLite ends a transaction itself only on errors of that kind (busy, full disk, I/O,
        // out of memory), never on a constraint: the run's error is also why its peers fail
        throw new TransactionLost(error);
      }
      run.reject(error);
      return;
    }
    return { value };
  }
}
