/**
 * Moves a community activity in time for the browser journeys: the services run on the wall clock and an
 * activity is booked a day ahead, so the tests move the activity (as `beginBooking` moves a booking).
 */
import pg from 'pg'

async function run<T extends pg.QueryResultRow>(databaseUrl: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    return (await client.query<T>(text, values)).rows
  } finally {
    await client.end()
  }
}

/** Moves an activity to start in 30 minutes (check-in opens an hour before the start). */
export async function startActivitySoon(databaseUrl: string, id: string): Promise<void> {
  const rows = await run(
    databaseUrl,
    `update community.activities set start_at = now() + interval '30 minutes',
       end_at = now() + interval '150 minutes', sign_up_deadline = now() + interval '20 minutes'
     where id = $1 returning id`,
    [id],
  )
  if (rows.length !== 1) throw new Error(`no activity ${id}`)
}

/**
 * Moves an activity so that it was held for the last three hours (check-ins move with it, five minutes
 * before the start), runs its end job now and waits until the job has ended it.
 */
export async function endActivityNow(databaseUrl: string, id: string, timeoutMs = 60_000): Promise<void> {
  await run(
    databaseUrl,
    `with moved as (
       update community.activities set start_at = now() - interval '181 minutes', end_at = now() - interval '1 minute',
         sign_up_deadline = now() - interval '4 hours' where id = $1 returning start_at)
     update community.registrations set checked_in_at = (select start_at from moved) - interval '5 minutes'
       where activity_id = $1 and checked_in_at is not null`,
    [id],
  )
  const jobs = await run(
    databaseUrl,
    `update community_jobs._private_jobs set run_at = now() where key = $1 returning id`,
    [`activity-end:${id}`],
  )
  if (jobs.length !== 1) throw new Error(`activity ${id} has no end job`)
  // Wake the worker now rather than at its next poll.
  await run(databaseUrl, `select pg_notify('jobs:insert', '{"count":1}')`)
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const [row] = await run<{ ended: boolean }>(
      databaseUrl,
      'select ended_at is not null as ended from community.activities where id = $1',
      [id],
    )
    if (row?.ended) return
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`activity ${id} did not end within ${timeoutMs} ms`)
}

/** Whether the community service has taken in a booking with this status from the bookings feed. */
export async function communityBookingStatus(databaseUrl: string, id: string): Promise<string | undefined> {
  const [row] = await run<{ status: string }>(databaseUrl, 'select status from community.bookings where id = $1', [id])
  return row?.status
}
