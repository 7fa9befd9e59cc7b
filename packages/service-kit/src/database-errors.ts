/*
 * Kept here rather than in @commons/db (which re-exports it as `isConnectionError`): the error handler of
 * every service needs it, and the kit must not depend on the database package, which depends on the kit.
 * Structural checks only, so the kit needs no pg import.
 */

/** Node socket errors meaning the database server cannot be reached or went away. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
])

/**
 * SQLSTATEs meaning the server cannot serve now, not that the statement is wrong: class 08 (connection
 * exception), 57P01-57P03 (admin/crash shutdown, cannot connect now: starting up or in recovery),
 * 53300 (too many connections).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/

/** pg and pg-pool failures that carry no code; matched by message (stable across pg 8.x). */
const CONNECTION_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'is not queryable',
  'Cannot use a pool after calling end on the pool',
]

/**
 * True when `error` says the database is unreachable or dropped the connection (refused, reset, timed out
 * connecting, backend terminated, server shutting down or starting), as opposed to a failing statement.
 * Such errors answer 503 `database_unavailable`, not 500.
 */
export function isDatabaseConnectionError(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 3) return false
  const { code, message, errors, cause } = error as {
    code?: unknown
    message?: unknown
    errors?: unknown
    cause?: unknown
  }
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true
  if (typeof message === 'string' && CONNECTION_MESSAGES.some((m) => message.includes(m))) return true
  // Node's happy-eyeballs connect (localhost: ::1 then 127.0.0.1) rejects with an AggregateError.
  if (Array.isArray(errors) && errors.some((e) => isDatabaseConnectionError(e, depth + 1))) return true
  return isDatabaseConnectionError(cause, depth + 1)
}
