import { isUniqueViolation } from '../database/database-errors';
import { Transaction } from '../database/transaction';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainError, ErrorCode } from './domain-error';

/**
 * Runs a write in a transaction. The unique index is the check for a taken key (one statement,
 * and race-free), so its violation is a 409 that says what was taken.
 */
export async function writeOrConflict<T>(
  transactions: TransactionRunner,
  conflict: string,
  work: (tx: Transaction) => Promise<T>,
): Promise<T> {
  try {
    return await transactions.run(work);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new DomainError(ErrorCode.Conflict, conflict);
    }
    throw error;
  }
}
