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

/** 400 with a code of the caller's choosing (defaults to `bad_request`). */
export const badRequest = (detail: string, code = 'bad_request', body?: Record<string, unknown>) =>
  new AppError(code, 400, detail, { body })

/** 400 `validation_failed` naming the failing fields. */
export const validationFailed = (errors: Array<{ path: string; message: string }>) =>
  new AppError('validation_failed', 400, errors.map((e) => `${e.path}: ${e.message}`).join('; '), { body: { errors } })

/** 401: no credentials, or they are no good. */
export const unauthorized = (detail = 'Sign in to do this.', code = 'unauthenticated') =>
  new AppError(code, 401, detail, { headers: { 'www-authenticate': 'Bearer' } })

/** 403: the caller is known but may not do this. */
export const forbidden = (detail = 'You may not do this.', code = 'forbidden') => new AppError(code, 403, detail)

/** 404 for a named kind of object. */
export const notFound = (what: string, id?: string) =>
  new AppError(`${what.replaceAll(' ', '_')}_not_found`, 404, id ? `No ${what} with id ${id}.` : `No such ${what}.`)

/** 409 with a specific code, e.g. `slot_unavailable`, `email_taken`. */
export const conflict = (code: string, detail: string) => new AppError(code, 409, detail)

/** 409 `invalid_transition`: the object's state does not allow this action. */
export const invalidTransition = (from: string, action: string) =>
  new AppError('invalid_transition', 409, `Cannot ${action} from state ${from}.`, { body: { from, action } })

/** 412: If-Match named a version that is no longer current. */
export const preconditionFailed = (detail = 'The object changed since you read it; reload and try again.') =>
  new AppError('version_mismatch', 412, detail)

/** 428: an update needs If-Match. */
export const preconditionRequired = () =>
  new AppError('if_match_required', 428, 'Send If-Match with the version you read to update this object.')

/** 422 with a specific code: the request is well-formed but cannot be done as asked. */
export const unprocessable = (code: string, detail: string, body?: Record<string, unknown>) =>
  new AppError(code, 422, detail, { body })

/** 429 with Retry-After in seconds. */
export const tooManyRequests = (retryAfterSeconds: number) =>
  new AppError('rate_limited', 429, `Too many requests; retry in ${retryAfterSeconds} s.`, {
    headers: { 'retry-after': String(retryAfterSeconds) },
  })

/** 503 with a specific code, e.g. `search_unavailable`. */
export const serviceUnavailable = (code: string, detail: string, retryAfterSeconds = 5) =>
  new AppError(code, 503, detail, { headers: { 'retry-after': String(retryAfterSeconds) } })

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
