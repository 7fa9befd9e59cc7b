import { isDatabaseConnectionError } from '@commons/service-kit'

/** The SQLSTATEs services map to problems (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
export const PG_ERROR = {
  uniqueViolation: '23505',
  exclusionViolation: '23P01',
  checkViolation: '23514',
  deadlockDetected: '40P01',
  serializationFailure: '40001',
} as const

/**
 * True when `error` is a Postgres error with SQLSTATE `code` (any of them, given a list; any code at all,
 * given none) and, if given, raised by `constraint`.
 */
export function isPgError(error: unknown, code?: string | readonly string[], constraint?: string): boolean {
  if (!error || typeof error !== 'object') return false
  const e = error as { code?: unknown; constraint?: unknown; severity?: unknown }
  // pg's DatabaseError carries the server's severity; a Node socket error has a code but no severity.
  if (typeof e.code !== 'string' || typeof e.severity !== 'string') return false
  if (code !== undefined && !(typeof code === 'string' ? [code] : code).includes(e.code)) return false
  return constraint === undefined || e.constraint === constraint
}

/** A unique constraint refused the row (23505), optionally a named one. */
export const isUniqueViolation = (error: unknown, constraint?: string) =>
  isPgError(error, PG_ERROR.uniqueViolation, constraint)

/** An exclusion constraint refused the row (23P01), optionally a named one (e.g. overlapping slots). */
export const isExclusionViolation = (error: unknown, constraint?: string) =>
  isPgError(error, PG_ERROR.exclusionViolation, constraint)

/**
 * The database is unreachable or dropped the connection (refused, timed out connecting, backend
 * terminated, server shutting down or starting): a 503 `database_unavailable`, never the caller's fault.
 * The service kit's error handler already maps these; use it where an error is caught before that.
 */
export const isConnectionError = (error: unknown): boolean => isDatabaseConnectionError(error)
