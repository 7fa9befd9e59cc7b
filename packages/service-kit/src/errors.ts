import { type NotFoundSubject, PROBLEM_CODES, type ProblemCode, type ProblemCodeWithStatus } from '@commons/contracts'

/**
 * The one error type services throw. The error handler turns it into RFC 9457 problem details with the
 * stable `code`; handlers never build error bodies themselves.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly detail?: string,
    /** Extra members for the problem body (e.g. `errors` for validation) and headers to send. */
    readonly extras: { body?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(detail ?? code)
    this.name = 'AppError'
  }
}

/** The one status of a problem code (the catalogue `PROBLEM_CODES` in @commons/contracts). */
export const problemStatus = (code: ProblemCode): number => PROBLEM_CODES[code]

/**
 * An AppError for a catalogue code, with the status the catalogue gives it: the same code never answers
 * with two statuses, whichever route or service raises it.
 */
export const problem = (code: ProblemCode, detail?: string, extras?: AppError['extras']) =>
  new AppError(code, problemStatus(code), detail, extras)

/** 400 with a code of the caller's choosing (defaults to `bad_request`). */
export const badRequest = (
  detail: string,
  code: ProblemCodeWithStatus<400> = 'bad_request',
  body?: Record<string, unknown>,
) => problem(code, detail, { body })

/** 400 `validation_failed` naming the failing fields. */
export const validationFailed = (errors: Array<{ path: string; message: string }>) =>
  problem('validation_failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { body: { errors } })

/** 401: no credentials, or they are no good. */
export const unauthorized = (detail = 'Sign in to do this.', code: ProblemCodeWithStatus<401> = 'unauthenticated') =>
  problem(code, detail, { headers: { 'www-authenticate': 'Bearer' } })

/** 403: the caller is known but may not do this. */
export const forbidden = (detail = 'You may not do this.', code: ProblemCodeWithStatus<403> = 'forbidden') =>
  problem(code, detail)

/** 404 `<what>_not_found` for a kind of object the catalogue names. */
export const notFound = (what: NotFoundSubject, id?: string) =>
  problem(`${what}_not_found`, id ? `No ${what} with id ${id}.` : `No such ${what}.`)

/** 409 with a specific code, e.g. `slot_unavailable`, `email_taken`. */
export const conflict = (code: ProblemCodeWithStatus<409>, detail: string) => problem(code, detail)

/** 409 `invalid_transition`: the object's state does not allow this action. */
export const invalidTransition = (from: string, action: string) =>
  problem('invalid_transition', `Cannot ${action} from state ${from}.`, { body: { from, action } })

/** 412: If-Match named a version that is no longer current. */
export const preconditionFailed = (detail = 'The object changed since you read it; reload and try again.') =>
  problem('version_mismatch', detail)

/** 428: an update needs If-Match. */
export const preconditionRequired = () =>
  problem('if_match_required', 'Send If-Match with the version you read to update this object.')

/** 422 with a specific code: the request is well-formed but cannot be done as asked. */
export const unprocessable = (code: ProblemCodeWithStatus<422>, detail: string, body?: Record<string, unknown>) =>
  problem(code, detail, { body })

/** 429 with Retry-After in seconds. */
export const tooManyRequests = (retryAfterSeconds: number) =>
  problem('rate_limited', `Too many requests; retry in ${retryAfterSeconds} s.`, {
    headers: { 'retry-after': String(retryAfterSeconds) },
  })

/** 503 with a specific code, e.g. `search_unavailable`. */
export const serviceUnavailable = (code: ProblemCodeWithStatus<503>, detail: string, retryAfterSeconds = 5) =>
  problem(code, detail, { headers: { 'retry-after': String(retryAfterSeconds) } })

/**
 * 503 `database_unavailable`: the database cannot be reached or dropped the connection. Not the client's
 * fault and usually short (a restart, a failover), hence Retry-After.
 */
export const databaseUnavailable = (retryAfterSeconds = 5) =>
  serviceUnavailable(
    'database_unavailable',
    'The database is not reachable right now; try again shortly.',
    retryAfterSeconds,
  )

/** 503 `shutting_down`: the process is draining; a retry reaches another replica or the restarted one. */
export const shuttingDown = () =>
  serviceUnavailable('shutting_down', 'This instance is shutting down; try again shortly.', 1)
