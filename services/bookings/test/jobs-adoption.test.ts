import { sql } from 'kysely'
import t from 'tap'
import { migrate } from '../src/app.ts'
import { timerKey } from '../src/jobs/booking-jobs.ts'
import { bearer, bookedListing, testApp } from './helpers.ts'

const NOW = '2026-11-21T00:00:00Z'
const HOUR = 3600_000

t.test('timers of the old timers table become jobs once, when migrate() runs', async (t) => {
  const h = await testApp(t, { now: NOW })
  const { p, booking } = await bookedListing(t, h, { start: '2026-12-10T10:00', end: '2026-12-10T11:00' })
  const id = booking.id as string
  const { db, jobs } = h.app.bookings.deps
  // As a database from before the job queue had it: the expiry is a `timers` row, not a job.
  await db.transaction().execute(async (trx) => {
    await jobs.cancel(trx, timerKey(id))
    await sql`delete from jobs_adoption`.execute(trx)
    await trx
      .insertInto('timers')
      .values({
        bookingId: id,
        kind: 'request_expiry',
        runAt: new Date(Date.parse(NOW) + HOUR),
        doneAt: null,
        lastError: null,
      })
      .execute()
  })

  await migrate({ DATABASE_URL: h.databaseUrl })
  await migrate({ DATABASE_URL: h.databaseUrl })
  h.clock.advance(2 * HOUR)
  t.equal(await h.app.bookings.runDueJobs(), 1, 'one job, though migrate() ran twice')
  const got = await h.app.inject({ method: 'GET', url: `/v1/bookings/${id}`, headers: bearer(p.requester.token) })
  t.equal(got.json().status, 'expired')
  const pending = await db.selectFrom('timers').select('id').where('doneAt', 'is', null).execute()
  t.same(pending, [], 'the old rows are done')
})
