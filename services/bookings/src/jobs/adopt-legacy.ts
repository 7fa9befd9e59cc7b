import { type Kysely, sql } from 'kysely'
import type { DB } from '../db/schema.ts'
import { scheduleTimer } from '../timers/timers.repository.ts'
import { type BookingJobQueue, windowKey } from './booking-jobs.ts'

/**
 * Once per database: the pending timers of the old `timers` table and the open rating windows become jobs,
 * so bookings and windows from before the job queue still expire, complete and close. Runs from
 * `migrate()`, serialised by a table lock, recorded in `jobs_adoption`. Returns how many jobs it enqueued.
 */
export async function adoptLegacyWork(db: Kysely<DB>, jobs: BookingJobQueue): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await sql`lock table jobs_adoption in exclusive mode`.execute(trx)
    const done = await sql<{ n: string }>`select count(*) as n from jobs_adoption`.execute(trx)
    if (Number(done.rows[0]?.n) > 0) return 0
    let enqueued = 0
    const timers = await trx.selectFrom('timers').selectAll().where('doneAt', 'is', null).execute()
    for (const timer of timers) {
      await scheduleTimer(trx, jobs, timer.bookingId, timer.kind, timer.runAt)
      enqueued += 1
    }
    await trx.updateTable('timers').set({ doneAt: sql<Date>`now()` }).where('doneAt', 'is', null).execute()
    const windows = await trx
      .selectFrom('ratingWindows')
      .select(['bookingId', 'closesAt'])
      .where('publishedAt', 'is', null)
      .where('voidedAt', 'is', null)
      .execute()
    for (const w of windows) {
      await jobs.enqueue(
        trx,
        'rating-window.close',
        { bookingId: w.bookingId },
        { runAt: w.closesAt, key: windowKey(w.bookingId) },
      )
      enqueued += 1
    }
    await sql`insert into jobs_adoption default values`.execute(trx)
    return enqueued
  })
}
