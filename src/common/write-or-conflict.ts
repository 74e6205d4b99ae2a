import { isUniqueViolation } from '../database/database-errors';
import { Transaction } from '../database/transaction';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainError } from './domain-error';

/**
 * Runs a write in a transaction. The unique index is the check for a taken key (one statement,
 * and race-free), so its violation is the caller's 409, built by `conflict`.
 */
export async function writeOrConflict<T>(
  transactions: TransactionRunner,
  work: (tx: Transaction) => Promise<T>,
  conflict: () => DomainError,
): Promise<T> {
  try {
    return await transactions.run(work);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw conflict();
    }
    throw error;
  }
}
