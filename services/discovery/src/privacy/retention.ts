import { type JobQueue, jobsSchemaOf } from '@commons/jobs'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

/** Discovery's deferred work: the view-history retention sweep. */
export interface DiscoveryJobs {
  /** Removes views past their retention period, then schedules the next sweep. */
  'privacy.retention': Record<string, never>
}

/** Where the discovery service keeps its jobs. */
export const JOBS_SCHEMA = jobsSchemaOf('discovery')

/** One pending sweep at a time: each sweep schedules the next under this key. */
export const RETENTION_JOB_KEY = 'privacy-retention'
const DAY_MS = 86_400_000

export interface RetentionDeps {
  db: Kysely<DB>
  jobs: JobQueue<DiscoveryJobs>
  clock: { now(): Date }
  config: { VIEW_RETENTION_DAYS: number; RETENTION_SWEEP_HOURS: number }
}

/** Puts the next sweep in the queue at `at` (moving a pending one, so restarts never pile sweeps up). */
export async function scheduleRetention(deps: RetentionDeps, at: Date): Promise<void> {
  await deps.db
    .transaction()
    .execute((trx) => deps.jobs.enqueue(trx, 'privacy.retention', {}, { runAt: at, key: RETENTION_JOB_KEY }))
}

/**
 * The `privacy.retention` job: views older than VIEW_RETENTION_DAYS (90 by default, as the privacy notice
 * announces) go, so recommendations forget them; then the next sweep is scheduled. Idempotent.
 */
export async function runRetention(deps: RetentionDeps, dueAt: Date): Promise<number> {
  const now = deps.clock.now()
  const cutoff = new Date(now.getTime() - deps.config.VIEW_RETENTION_DAYS * DAY_MS)
  const result = await deps.db.deleteFrom('views').where('viewedAt', '<', cutoff).executeTakeFirst()
  // From the later of now and when this sweep was due, so running due jobs up to a time ahead of the clock
  // (as tests do) ends after a few sweeps instead of rescheduling one inside the window forever.
  const from = Math.max(now.getTime(), dueAt.getTime())
  await scheduleRetention(deps, new Date(from + deps.config.RETENTION_SWEEP_HOURS * 3600_000))
  return Number(result.numDeletedRows)
}
