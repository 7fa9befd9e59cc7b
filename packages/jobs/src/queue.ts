import type { AnyTransaction } from '@commons/db'
import { type Clock, systemClock } from '@commons/service-kit'
import { type RawBuilder, sql, type Transaction } from 'kysely'

/**
 * The tasks of one service and the payload each takes, e.g.
 * `interface BookingJobs { 'booking.expire-request': { bookingId: string } }`. Payloads are JSON objects.
 */
export type TaskPayloads<T> = { [K in keyof T]: object }

/** A task name of `T`. */
export type TaskName<T> = keyof T & string

/** Options of {@link JobQueue.enqueue}. */
export interface EnqueueOptions {
  /** When the job becomes due (default: the queue's clock now). */
  runAt?: Date
  /**
   * At most one pending job per key: enqueueing again with the same key replaces the pending job's payload,
   * runAt and maxAttempts and resets its attempts (e.g. one expiry job per booking, moved when the booking
   * changes). A job already running keeps running and a new one is queued; a dead job keeps its record and
   * loses the key.
   */
  key?: string
  /** Attempts before the job is dead (default: the queue's, 10: about 10 hours of backoff). */
  maxAttempts?: number
}

/** A job as enqueued. */
export interface EnqueuedJob {
  id: string
  task: string
  runAt: Date
  key: string | null
}

/** Options of {@link defineJobQueue}. */
export interface JobQueueOptions {
  /** The schema the job tables live in, owned by the service: by convention `<service schema>_jobs`. */
  schema: string
  /** Where a job's default `runAt` and a retry's time come from (default: the wall clock). */
  clock?: Clock
  /** Default attempts before a job is dead (default 10). */
  maxAttempts?: number
}

/** One service's job queue: what it may enqueue, where, and by which clock. No I/O until used. */
export interface JobQueue<T extends TaskPayloads<T>> {
  readonly schema: string
  readonly clock: Clock
  readonly maxAttempts: number
  /**
   * Adds a job in `trx`, so the job exists if and only if the change that needs it commits. Takes a
   * transaction, never a plain `Kysely`, for the same reason as `appendEvent`.
   */
  enqueue<K extends TaskName<T>>(
    trx: AnyTransaction,
    task: K,
    payload: T[K],
    opts?: EnqueueOptions,
  ): Promise<EnqueuedJob>
  /**
   * `enqueue` as a function call (it returns the job's row) for a caller's own statement, e.g.
   * `timer as (select (${call}).id from booking)`: the job is added once per row of the relation it is
   * selected over, in the caller's statement and so in its transaction. Call it in the select list, not in
   * a FROM beside the relation: there the planner may run it before it knows the relation is empty. And
   * Postgres runs a CTE without side effects only when the statement reads it, so read it.
   */
  enqueueCall<K extends TaskName<T>>(task: K, payload: T[K], opts?: EnqueueOptions): RawBuilder<EnqueuedJob>
  /**
   * Removes the pending job with `key` in `trx` (e.g. the booking was answered, so its expiry is moot).
   * Resolves false when there was none. A job already running finishes its attempt but is not retried.
   */
  cancel(trx: AnyTransaction, key: string): Promise<boolean>
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/
const DEFAULT_MAX_ATTEMPTS = 10
// graphile-worker stores max_attempts as smallint.
const MAX_ATTEMPTS_LIMIT = 32_767

/** The job schema of a service schema, e.g. `bookings` -> `bookings_jobs`. */
export function jobsSchemaOf(serviceSchema: string): string {
  return `${serviceSchema}_jobs`
}

/** Throws unless `schema` is a plain lower-case identifier. */
export function assertJobsSchema(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`Invalid jobs schema name ${JSON.stringify(schema)}: use lower-case letters, digits and _`)
  }
}

function assertMaxAttempts(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_ATTEMPTS_LIMIT) {
    throw new RangeError(`maxAttempts must be an integer from 1 to ${MAX_ATTEMPTS_LIMIT}, got ${n}`)
  }
}

/** Declares a service's job queue; `T` names its tasks and their payloads. */
export function defineJobQueue<T extends TaskPayloads<T>>(opts: JobQueueOptions): JobQueue<T> {
  assertJobsSchema(opts.schema)
  const clock = opts.clock ?? systemClock
  const defaultMaxAttempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS
  assertMaxAttempts(defaultMaxAttempts)
  const schema = opts.schema
  const addJobCall = (task: string, payload: object, options: EnqueueOptions) => {
    const maxAttempts = options.maxAttempts ?? defaultMaxAttempts
    assertMaxAttempts(maxAttempts)
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
      // graphile-worker merges array payloads of keyed jobs; an object keeps "replace" a replacement.
      throw new TypeError(`The payload of job ${task} must be a JSON object`)
    }
    return sql`${sql.id(schema, 'add_job')}(
      identifier => ${task}::text,
      payload => ${JSON.stringify(payload)}::json,
      run_at => ${options.runAt ?? clock.now()}::timestamptz,
      max_attempts => ${maxAttempts}::int,
      job_key => ${options.key ?? null}::text
    )`
  }
  return {
    schema,
    clock,
    maxAttempts: defaultMaxAttempts,
    async enqueue(trx, task, payload, options = {}) {
      const runAt = options.runAt ?? clock.now()
      // add_job is the library's documented SQL entry point; calling it on the caller's connection is what
      // makes the job part of the caller's transaction.
      const { rows } = await sql<{ id: string; runAt: Date; key: string | null }>`
        select id::text as id, run_at, key from ${addJobCall(task, payload, { ...options, runAt })}`.execute(
        trx as unknown as Transaction<unknown>,
      )
      const row = rows[0]
      if (!row) throw new Error(`add_job returned no row for task ${task}`)
      return { id: row.id, task, runAt: row.runAt, key: row.key }
    },
    enqueueCall(task, payload, options = {}) {
      return addJobCall(task, payload, options) as RawBuilder<EnqueuedJob>
    },
    async cancel(trx, key) {
      const { rows } = await sql<{ id: string | null }>`
        select id::text as id from ${sql.id(schema, 'remove_job')}(${key}::text)`.execute(
        trx as unknown as Transaction<unknown>,
      )
      return rows[0]?.id != null
    },
  }
}
