import { randomBytes } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import { type Runner, run, type Task, type TaskList, type WorkerEvents } from 'graphile-worker'
import { type Kysely, sql } from 'kysely'
import type { Registry } from 'prom-client'
import { type JobsLog, workerLogger } from './log.ts'
import { type JobMetrics, jobMetrics } from './metrics.ts'
import type { JobQueue, TaskName, TaskPayloads } from './queue.ts'

/** What a handler learns about the job it runs. */
export interface JobInfo {
  id: string
  task: string
  /** 1 on the first attempt, `maxAttempts` on the last. */
  attempt: number
  maxAttempts: number
  key: string | null
  /** When the job was due. */
  runAt: Date
  /** Aborted when the runner is stopping and the grace period is over. */
  signal: AbortSignal
}

/**
 * A handler per task. A handler that throws fails the attempt: the job is retried with exponential backoff
 * (e^attempt seconds, capped at e^10 ≈ 6 h) until `maxAttempts`, then it is dead. Handlers run outside any
 * transaction and at least once (a crash mid-handler runs it again), so they must be idempotent, e.g. by
 * checking the entity's state in the transaction that applies the effect.
 */
export type JobHandlers<T extends TaskPayloads<T>> = {
  [K in TaskName<T>]: (payload: T[K], job: JobInfo) => Promise<void>
}

/** Options of {@link createJobWorker}. */
export interface JobWorkerOptions<T extends TaskPayloads<T>, DB> {
  queue: JobQueue<T>
  /** The service's database; `runDue` and the metrics use it. */
  db: Kysely<DB>
  handlers: JobHandlers<T>
  /** Where `jobs_dead`, `jobs_due`, `jobs_completed_total` and `jobs_failed_attempts_total` go. */
  registry?: Registry
  log?: JobsLog
}

/** Options of {@link JobWorker.start}. */
export interface JobRunnerOptions {
  /** A Postgres connection string for the runner's own small pool. */
  url: string
  /** Jobs run at the same time by this process (default 2). */
  concurrency?: number
  /** Fallback poll when no notification arrives (default 2000 ms); new jobs wake the runner through NOTIFY. */
  pollIntervalMs?: number
  /** How long `stop()` lets running jobs finish before aborting them (default 10 000 ms). */
  gracePeriodMs?: number
}

/** The jobs of one service: a background runner, and `runDue` for tests and scripts. */
export interface JobWorker {
  /** Starts the background runner (jobs due by the database's clock); returns once it is connected. */
  start(opts: JobRunnerOptions): Promise<void>
  /** Stops the runner: no new jobs are taken; resolves once the running ones have finished. */
  stop(): Promise<void>
  /**
   * Runs every available job whose runAt ≤ `asOf` (default: the queue's clock now), one at a time in due
   * order, including jobs those handlers enqueue that are due by `asOf`; resolves with how many attempts
   * ran. A failed attempt is rescheduled after `asOf` by the same backoff as the runner, so a call never
   * runs a job twice and never waits. Time is the queue's clock, not the database's, which is what lets a
   * test with its own clock stay deterministic.
   */
  runDue(asOf?: Date): Promise<number>
}

// A handler that keeps enqueueing due work would make runDue loop forever; no real test needs this many.
const RUN_DUE_LIMIT = 10_000
const RESTART_MIN_MS = 1000
const RESTART_MAX_MS = 30_000
const MIGRATION_EXIT_CODE = 57

interface LockedJob {
  id: string
  task: string
  payload: unknown
  attempts: number
  maxAttempts: number
  key: string | null
  runAt: Date
}

/** Builds the job worker of a service; no I/O until `start` or `runDue`. */
export function createJobWorker<T extends TaskPayloads<T>, DB>(opts: JobWorkerOptions<T, DB>): JobWorker {
  const { queue } = opts
  const db = opts.db as unknown as Kysely<unknown>
  const schema = queue.schema
  const handlers = opts.handlers as unknown as Record<string, (payload: unknown, job: JobInfo) => Promise<void>>
  const tasks = Object.keys(handlers)
  const metrics = opts.registry ? jobMetrics(opts.registry, db, schema, tasks, opts.log) : undefined
  const fields = { jobs: schema }

  let supervisor: { stop(): Promise<void> } | null = null

  const runDue = async (asOf: Date = queue.clock.now()): Promise<number> => {
    const workerId = `run-due-${randomBytes(6).toString('hex')}`
    const never = new AbortController().signal
    let ran = 0
    for (;;) {
      if (ran >= RUN_DUE_LIMIT) throw new Error(`runDue stopped after ${ran} attempts: a handler keeps enqueueing`)
      const job = await lockNextDue(db, schema, tasks, asOf, workerId)
      if (!job) return ran
      ran += 1
      const info = toInfo(job, never)
      try {
        await handlers[job.task]!(job.payload, info)
      } catch (error) {
        await failLocked(db, schema, job.id, workerId, asOf, errorMessage(error))
        reportFailure(opts.log, metrics, fields, job, error)
        continue
      }
      await sql`delete from ${sql.id(schema, '_private_jobs')} where id = ${job.id}::bigint and locked_by = ${workerId}`.execute(
        db,
      )
      metrics?.completed.inc({ queue: schema, task: job.task })
    }
  }

  return {
    async start(runnerOpts) {
      if (supervisor) throw new Error(`The job runner of ${schema} is already started`)
      supervisor = await supervise(runnerOpts)
    },
    async stop() {
      const running = supervisor
      supervisor = null
      await running?.stop()
    },
    runDue,
  }

  /**
   * Keeps a graphile-worker runner going: it survives connection faults by itself (it retries), and should
   * it end anyway (e.g. its pool gave up), a new one is started with backoff, so the service never stops
   * running its jobs while it serves.
   */
  async function supervise(runnerOpts: JobRunnerOptions) {
    const stopping = new AbortController()
    const taskList: TaskList = {}
    for (const task of tasks) {
      const wrapped: Task = async (payload, helpers) => {
        await handlers[task]!(payload, toInfo(jobOf(helpers.job, task), helpers.abortSignal))
      }
      taskList[task] = wrapped
    }
    const events: WorkerEvents = new EventEmitter()
    events.on('job:success', ({ job }) => metrics?.completed.inc({ queue: schema, task: job.task_identifier }))
    events.on('job:error', ({ job, error }) => {
      reportFailure(opts.log, metrics, fields, jobOf(job, job.task_identifier), error)
    })

    const concurrency = runnerOpts.concurrency ?? 2
    const startRunner = (): Promise<Runner> =>
      run({
        connectionString: withApplicationName(runnerOpts.url, `${schema}-runner`),
        schema,
        concurrency,
        // One connection per running job, one for LISTEN, one spare for completing jobs.
        maxPoolSize: concurrency + 2,
        pollInterval: runnerOpts.pollIntervalMs ?? 2000,
        gracefulShutdownAbortTimeout: runnerOpts.gracePeriodMs ?? 10_000,
        // The service owns the signals: it stops the runner from its onClose hook.
        noHandleSignals: true,
        logger: workerLogger(opts.log, fields),
        events,
        taskList,
        // Unbatched, graphile-worker writes a job's completion without waiting for it, so a stop can end its
        // pool first and leave a finished job locked, to run again hours later. Batched (without delay), the
        // completions are flushed before the pool ends.
        preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
      })

    // graphile-worker listens for "worker:migrate" on the whole database and, on a breaking migration, stops
    // and sets process.exitCode = 57. Another service installing its own job schema sends that too, so the
    // runner is restarted below and the exit code put back: this process did nothing wrong.
    const exitCodeBefore = process.exitCode
    let runner = await startRunner()
    opts.log?.debug(fields, 'job runner started')
    const loop = (async () => {
      let restarts = 0
      while (!stopping.signal.aborted) {
        const ended = await runner.promise.then(
          () => null,
          (error: unknown) => error,
        )
        const migrated = process.exitCode === MIGRATION_EXIT_CODE
        if (migrated) process.exitCode = exitCodeBefore
        if (stopping.signal.aborted) break
        if (migrated && ended === null) {
          // A clean stop on a migration notice, which every service's first install sends: nothing failed,
          // so the runner starts again at once. Should this schema itself have moved past what this
          // process supports, that start fails and is retried below with backoff, logged as a failure.
          opts.log?.info(fields, 'job runner restarted after a job schema migration in this database')
        } else {
          restarts += 1
          const pauseMs = Math.min(RESTART_MAX_MS, RESTART_MIN_MS * 2 ** (restarts - 1))
          opts.log?.error({ ...fields, err: ended, restartInMs: pauseMs }, 'job runner ended; restarting')
          await sleep(pauseMs, undefined, { signal: stopping.signal }).catch(() => {})
        }
        if (stopping.signal.aborted) break
        try {
          runner = await startRunner()
          restarts = 0
          // stop() may have come while the new runner was starting: it only knew the old one.
          if (stopping.signal.aborted) await runner.stop().catch(() => {})
        } catch (error) {
          opts.log?.warn({ ...fields, err: error }, 'job runner failed to start; retrying')
          runner = { promise: Promise.reject(error) } as Runner
          runner.promise.catch(() => {})
        }
      }
    })()
    return {
      async stop() {
        stopping.abort()
        await runner.stop?.().catch(() => {})
        await loop
        opts.log?.debug(fields, 'job runner stopped')
      },
    }
  }
}

async function lockNextDue(
  db: Kysely<unknown>,
  schema: string,
  tasks: string[],
  asOf: Date,
  workerId: string,
): Promise<LockedJob | undefined> {
  const jobs = sql.id(schema, '_private_jobs')
  const taskTable = sql.id(schema, '_private_tasks')
  // The same columns and order graphile-worker's get_job uses, with the caller's time instead of now().
  const { rows } = await sql<LockedJob>`
    with next as (
      select j.id from ${jobs} as j
      join ${taskTable} as t on t.id = j.task_id
      where t.identifier = any(${tasks}::text[])
        and j.locked_at is null and j.attempts < j.max_attempts
        and j.run_at <= ${asOf}::timestamptz
      order by j.priority, j.run_at, j.id
      limit 1
      for update of j skip locked
    )
    update ${jobs} as j
    set attempts = j.attempts + 1, locked_by = ${workerId}, locked_at = now(), updated_at = now()
    from next
    where j.id = next.id
    returning j.id::text as id, (select identifier from ${taskTable} where id = j.task_id) as task, j.payload,
      j.attempts::int as attempts, j.max_attempts::int as max_attempts, j.key, j.run_at`.execute(db)
  return rows[0]
}

async function failLocked(
  db: Kysely<unknown>,
  schema: string,
  id: string,
  workerId: string,
  asOf: Date,
  message: string,
): Promise<void> {
  await sql`
    update ${sql.id(schema, '_private_jobs')}
    set last_error = ${message},
      run_at = greatest(${asOf}::timestamptz, run_at) + exp(least(attempts, 10)) * interval '1 second',
      locked_by = null, locked_at = null, updated_at = now()
    where id = ${id}::bigint and locked_by = ${workerId}`.execute(db)
}

function reportFailure(
  log: JobsLog | undefined,
  metrics: JobMetrics | undefined,
  fields: Record<string, unknown>,
  job: LockedJob,
  error: unknown,
) {
  const labels = { queue: fields.jobs as string, task: job.task }
  metrics?.failedAttempts.inc(labels)
  const obj = { ...fields, jobId: job.id, task: job.task, attempt: job.attempts, maxAttempts: job.maxAttempts }
  if (job.attempts >= job.maxAttempts) {
    log?.error({ ...obj, err: error }, 'job is dead after its last attempt')
  } else {
    log?.warn({ ...obj, err: error }, 'job attempt failed; retrying with backoff')
  }
}

function jobOf(
  job: {
    id: string
    payload: unknown
    attempts: number
    max_attempts: number
    key: string | null
    run_at: Date
  },
  task: string,
): LockedJob {
  return {
    id: String(job.id),
    task,
    payload: job.payload,
    attempts: job.attempts,
    maxAttempts: job.max_attempts,
    key: job.key,
    runAt: job.run_at,
  }
}

function toInfo(job: LockedJob, signal: AbortSignal): JobInfo {
  return {
    id: job.id,
    task: job.task,
    attempt: job.attempts,
    maxAttempts: job.maxAttempts,
    key: job.key,
    runAt: job.runAt,
    signal,
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function withApplicationName(url: string, name: string): string {
  try {
    const parsed = new URL(url)
    if (!parsed.searchParams.has('application_name')) parsed.searchParams.set('application_name', name)
    return parsed.toString()
  } catch {
    return url
  }
}
