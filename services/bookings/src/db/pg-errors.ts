/**
 * Whether `error` is a Postgres error with one of `codes` (SQLSTATE), and, when `constraint` is given, raised
 * by that constraint. The one check bookings uses to map database refusals to problem codes.
 */
export function isPgError(error: unknown, codes: string | readonly string[], constraint?: string): boolean {
  if (typeof error !== 'object' || error === null) return false
  const { code, constraint: raisedBy } = error as { code?: unknown; constraint?: unknown }
  const wanted = typeof codes === 'string' ? [codes] : codes
  return typeof code === 'string' && wanted.includes(code) && (constraint === undefined || raisedBy === constraint)
}
