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
