import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { MessagingJobQueue } from '../jobs.ts'

/** One pending sweep at a time: each sweep schedules the next under this key. */
export const RETENTION_JOB_KEY = 'privacy-retention'
const DAY_MS = 86_400_000

export interface RetentionDeps {
  db: Kysely<DB>
  jobs: MessagingJobQueue
  clock: { now(): Date }
  config: { NOTIFICATION_RETENTION_DAYS: number; RETENTION_SWEEP_HOURS: number }
}

/** Puts the next sweep in the queue at `at` (moving a pending one, so restarts never pile sweeps up). */
export async function scheduleRetention(deps: RetentionDeps, at: Date): Promise<void> {
  await deps.db
    .transaction()
    .execute((trx) => deps.jobs.enqueue(trx, 'privacy.retention', {}, { runAt: at, key: RETENTION_JOB_KEY }))
}

/**
 * The `privacy.retention` job: notifications older than NOTIFICATION_RETENTION_DAYS (180 by default, as the
 * privacy notice announces) go, with their delivery records; then the next sweep is scheduled. Deleting by
 * age is idempotent, so a repeated attempt does no harm.
 */
export async function runRetention(deps: RetentionDeps, dueAt: Date): Promise<number> {
  const now = deps.clock.now()
  const cutoff = new Date(now.getTime() - deps.config.NOTIFICATION_RETENTION_DAYS * DAY_MS)
  const removed = await deps.db.transaction().execute(async (trx) => {
    const old = trx.selectFrom('notifications').select('id').where('createdAt', '<', cutoff)
    await trx.deleteFrom('deliveries').where('notificationId', 'in', old).execute()
    const result = await trx.deleteFrom('notifications').where('createdAt', '<', cutoff).executeTakeFirst()
    return Number(result.numDeletedRows)
  })
  // From the later of now and when this sweep was due, so running due jobs up to a time ahead of the clock
  // (as tests do) ends after a few sweeps instead of rescheduling one inside the window forever.
  const from = Math.max(now.getTime(), dueAt.getTime())
  await scheduleRetention(deps, new Date(from + deps.config.RETENTION_SWEEP_HOURS * 3600_000))
  return removed
}
