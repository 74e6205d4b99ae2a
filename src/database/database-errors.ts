/** True when the driver reports a unique-constraint violation (SQLite or PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    code === '23505' ||
    (code === 'SQLITE_CONSTRAINT' && typeof message === 'string' && message.includes('UNIQUE'))
  );
}

/** Connection-level failures: the database is down, unreachable or restarting. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
]);
/** The database is there but refuses work for now (PostgreSQL shutting down, SQLite locked). */
const BUSY_CODES = new Set(['57P01', '57P02', '57P03', '53300', 'SQLITE_BUSY', 'SQLITE_LOCKED']);
const CONNECTION_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is not established/i;

/**
 * True when a query failed because the database could not be reached or was too busy, not
 * because of the query: the caller may retry later (503), nothing was written.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    // PostgreSQL class 08: connection exceptions
    if (CONNECTION_CODES.has(code) || BUSY_CODES.has(code) || code.startsWith('08')) {
      return true;
    }
  }
  return typeof message === 'string' && CONNECTION_MESSAGES.test(message);
}

/** SQLite's result codes for a value the statement cannot store (constraint, size, type). */
const SQLITE_DATA_CODES = new Set(['SQLITE_CONSTRAINT', 'SQLITE_TOOBIG', 'SQLITE_MISMATCH']);

/**
 * True when the database refused a statement for the values in it — PostgreSQL's classes 22
 * (data exception) and 23 (integrity), SQLite's constraint, size and type errors — so the same
 * rows would fail again while others need not. A unique violation is not one: callers treat it
 * as a race with another writer.
 */
export function isDataRefusal(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || isUniqueViolation(error)) {
    return false;
  }
  const { code } = error as { code?: unknown };
  return (
    typeof code === 'string' && (/^2[23][0-9A-Z]{3}$/.test(code) || SQLITE_DATA_CODES.has(code))
  );
}
