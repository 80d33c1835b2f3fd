/**
 * Which database failures are about the data and which about the database. A data error (SQLSTATE class 22 data
 * exception, 23 integrity constraint, 54 program limit) fails the same way on every retry, so retrying the batch
 * that holds it would stall ingestion forever: the batch is split until the refused messages are found. Everything
 * else (connection loss, shutdown, disk full, deadlock, a missing table during a deploy) is the database's state:
 * held and retried with backoff.
 */
export function isDataError(err: unknown): boolean {
  if (err instanceof TypeError || err instanceof RangeError) return true; // our code choking on a value
  const code = sqlState(err);
  return code !== undefined && ['22', '23', '54'].includes(code.slice(0, 2));
}

/** A unique constraint refused a row (SQLSTATE 23505). */
export const isUniqueViolation = (err: unknown): boolean => sqlState(err) === '23505';

function sqlState(err: unknown): string | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** The database's own words, short and on one line, for a dead letter's detail. */
export function databaseMessage(err: unknown): string {
  const e = err as { message?: unknown; code?: unknown } | null;
  const code = sqlState(err);
  const text = String(e?.message ?? err)
    .replace(/\s+/g, ' ')
    .slice(0, 500);
  return code ? `${text} (SQLSTATE ${code})` : text;
}
