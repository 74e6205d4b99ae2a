import { Transaction } from '../database/transaction';

/**
 * Lease rows, with every comparison made on the database's clock in one atomic statement, so
 * two instances can never both believe they hold the same lease.
 */
export abstract class LeasesRepository {
  /**
   * Takes `name` for `owner` until now + `ttlMs` if it is free, expired, or already `owner`'s
   * (then it is renewed); true when `owner` holds it afterwards.
   */
  abstract acquire(tx: Transaction, name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Extends `owner`'s lease only while it has not expired; false when it was lost. */
  abstract renew(tx: Transaction, name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up (a no-op when `owner` no longer holds it). */
  abstract release(tx: Transaction, name: string, owner: string): Promise<void>;
  /** Unexpired leases: name → owner. */
  abstract live(): Promise<Map<string, string>>;
}
