import { AppError } from '@commons/service-kit'
import { type Kysely, sql } from 'kysely'
import { assertJobsSchema, type JobQueue } from './queue.ts'

/** A job out of attempts, as operators see it. */
export interface DeadJob {
  id: string
  task: string
  payload: unknown
  attempts: number
  maxAttempts: number
  lastError: string | null
  key: string | null
  runAt: Date
  createdAt: Date
  updatedAt: Date
}

/** Options of {@link listDeadJobs}. */
export interface ListDeadJobsOptions {
  task?: string
  /** Most recent failures first; default 50. */
  limit?: number
}

type AnyQueue = Pick<JobQueue<Record<string, object>>, 'schema' | 'clock'>

/** The dead jobs of `queue` (attempts used up, not running), most recently failed first. */
export async function listDeadJobs<DB>(
  db: Kysely<DB>,
  queue: AnyQueue,
  opts: ListDeadJobsOptions = {},
): Promise<DeadJob[]> {
  assertJobsSchema(queue.schema)
  const { rows } = await sql<DeadJob>`
    select j.id::text as id, t.identifier as task, j.payload, j.attempts::int as attempts,
      j.max_attempts::int as max_attempts, j.last_error, j.key, j.run_at, j.created_at, j.updated_at
    from ${sql.id(queue.schema, '_private_jobs')} as j
    join ${sql.id(queue.schema, '_private_tasks')} as t on t.id = j.task_id
    where j.attempts >= j.max_attempts and j.locked_at is null
      and (${opts.task ?? null}::text is null or t.identifier = ${opts.task ?? null})
    order by j.updated_at desc, j.id desc
    limit ${opts.limit ?? 50}`.execute(db as unknown as Kysely<unknown>)
  return rows
}

/**
 * Gives a dead job a fresh set of attempts, due at `runAt` (default: the queue's clock now). Its last error
 * is kept until it runs again. Throws `job_not_found` (404) unless job `id` exists, and `job_not_dead` (409)
 * while it still has attempts left or is running.
 */
export async function retryJob<DB>(
  db: Kysely<DB>,
  queue: AnyQueue,
  id: string,
  opts: { runAt?: Date } = {},
): Promise<{ id: string; task: string; runAt: Date }> {
  assertJobsSchema(queue.schema)
  if (!/^\d{1,18}$/.test(id)) throw new AppError('job_not_found', 404, `No job ${id}`)
  const raw = db as unknown as Kysely<unknown>
  const runAt = opts.runAt ?? queue.clock.now()
  const { rows } = await sql<{ id: string; task: string; runAt: Date }>`
    with retried as (
      update ${sql.id(queue.schema, '_private_jobs')} as j
      set attempts = 0, run_at = ${runAt}::timestamptz, updated_at = now()
      where j.id = ${id}::bigint and j.attempts >= j.max_attempts and j.locked_at is null
      returning j.id, j.task_id, j.run_at
    )
    select r.id::text as id, t.identifier as task, r.run_at
    from retried as r join ${sql.id(queue.schema, '_private_tasks')} as t on t.id = r.task_id`.execute(raw)
  const retried = rows[0]
  if (retried) {
    // Wake idle runners now rather than at their next poll; graphile-worker listens on this channel.
    await sql`select pg_notify('jobs:insert', '{"count":1}')`.execute(raw)
    return retried
  }
  const { rows: found } = await sql<{ id: string }>`
    select id::text as id from ${sql.id(queue.schema, '_private_jobs')} where id = ${id}::bigint`.execute(raw)
  if (found.length === 0) throw new AppError('job_not_found', 404, `No job ${id}`)
  throw new AppError('job_not_dead', 409, `Job ${id} still has attempts left or is running; only dead jobs are retried`)
}
