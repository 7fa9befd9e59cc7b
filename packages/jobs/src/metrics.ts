import { type Kysely, sql } from 'kysely'
import { Counter, Gauge, type Registry } from 'prom-client'
import type { JobsLog } from './log.ts'

type Labels = 'queue' | 'task'

/** The job metrics of one queue on a registry (shared by every queue on it, told apart by `queue`). */
export interface JobMetrics {
  completed: Counter<Labels>
  failedAttempts: Counter<Labels>
}

type Collect = () => Promise<void>

// The gauges read the database when scraped; each queue on a registry adds its reader here.
const collectors = new WeakMap<Registry, Collect[]>()

/**
 * Registers the job metrics: `jobs_dead{queue,task}` (jobs out of attempts, kept for operators to list and
 * retry) and `jobs_due{queue,task}` (jobs waiting to run now), both read from the job table at scrape time,
 * plus counters of completed jobs and failed attempts.
 */
export function jobMetrics(
  registry: Registry,
  db: Kysely<unknown>,
  schema: string,
  tasks: string[],
  log?: JobsLog,
): JobMetrics {
  const existing = <M>(name: string) => registry.getSingleMetric(name) as M | undefined
  let readers = collectors.get(registry)
  if (!readers) {
    const list: Collect[] = []
    readers = list
    collectors.set(registry, list)
    // Both gauges come from one query per scrape: whichever is collected first starts it, the other joins.
    let inFlight: Promise<void> | null = null
    const refresh = () => {
      inFlight ??= Promise.all(list.map((read) => read())).then(
        () => {
          inFlight = null
        },
        () => {
          inFlight = null
        },
      )
      return inFlight
    }
    for (const [name, help] of [
      ['jobs_dead', 'Jobs that used all their attempts (list and retry them with the service command `jobs`)'],
      ['jobs_due', 'Jobs due now and waiting for a runner'],
    ] as const) {
      new Gauge({ name, help, labelNames: ['queue', 'task'], registers: [registry], collect: refresh })
    }
  }
  const dead = existing<Gauge<Labels>>('jobs_dead')!
  const due = existing<Gauge<Labels>>('jobs_due')!
  const completed =
    existing<Counter<Labels>>('jobs_completed_total') ??
    new Counter({
      name: 'jobs_completed_total',
      help: 'Jobs that completed successfully',
      labelNames: ['queue', 'task'],
      registers: [registry],
    })
  const failedAttempts =
    existing<Counter<Labels>>('jobs_failed_attempts_total') ??
    new Counter({
      name: 'jobs_failed_attempts_total',
      help: 'Failed job attempts, each retried with backoff until the job is dead',
      labelNames: ['queue', 'task'],
      registers: [registry],
    })
  // Start every series at 0 so dashboards and alerts see each task before anything happens to it.
  for (const task of tasks) {
    dead.set({ queue: schema, task }, 0)
    due.set({ queue: schema, task }, 0)
    completed.inc({ queue: schema, task }, 0)
    failedAttempts.inc({ queue: schema, task }, 0)
  }

  const known = new Set(tasks)
  readers.push(async () => {
    let rows: Array<{ task: string; dead: number; due: number }>
    try {
      ;({ rows } = await sql<{ task: string; dead: number; due: number }>`
        select t.identifier as task,
          count(*) filter (where j.attempts >= j.max_attempts and j.locked_at is null)::int as dead,
          count(*) filter (where j.attempts < j.max_attempts and j.locked_at is null and j.run_at <= now())::int as due
        from ${sql.id(schema, '_private_jobs')} as j
        join ${sql.id(schema, '_private_tasks')} as t on t.id = j.task_id
        group by t.identifier`.execute(db))
    } catch (error) {
      // A scrape while the database is down keeps the last values rather than failing /metrics.
      log?.debug({ jobs: schema, err: error }, 'job metrics not refreshed')
      return
    }
    for (const task of known) {
      dead.set({ queue: schema, task }, 0)
      due.set({ queue: schema, task }, 0)
    }
    for (const row of rows) {
      known.add(row.task)
      dead.set({ queue: schema, task: row.task }, row.dead)
      due.set({ queue: schema, task: row.task }, row.due)
    }
  })
  return { completed, failedAttempts }
}
