import { AsyncLocalStorage } from 'node:async_hooks'
import { randomUUID } from 'node:crypto'
import type { CompiledQuery, DatabaseConnection, Kysely } from 'kysely'
import t from 'tap'
import { bearer, makeListing, testApp, tokenFor } from './helpers.ts'

/*
 * Availability and creation are bound by database round trips (issue 17): every statement sent to
 * Postgres is one, and on a loaded machine each costs more than the work around it. These tests count the
 * statements a request sends, so a change that adds one is seen here before it is seen in a benchmark.
 */

const counting = new AsyncLocalStorage<{ sent: string[]; timeline: string[] }>()

/**
 * The SQL statements `run` sends (each is one round trip), counted at the driver's connection so BEGIN and
 * COMMIT count too. Only those sent on `run`'s behalf: the app's feed consumers poll meanwhile.
 */
async function statementsDuring(db: Kysely<unknown>, run: () => Promise<unknown>): Promise<string[]> {
  return (await timelineDuring(db, run)).sent
}

/**
 * `statementsDuring`, with the timeline of their round trips: `start <sql>` when a statement is sent and
 * `end <sql>` when its answer arrived, in that order, so a test sees which ran in parallel.
 */
async function timelineDuring(
  db: Kysely<unknown>,
  run: () => Promise<unknown>,
): Promise<{ sent: string[]; timeline: string[] }> {
  const proto = await db
    .getExecutor()
    .provideConnection(async (connection) => Object.getPrototypeOf(connection) as DatabaseConnection)
  const original = proto.executeQuery
  const seen = { sent: [] as string[], timeline: [] as string[] }
  proto.executeQuery = function (this: DatabaseConnection, query: CompiledQuery) {
    const store = counting.getStore()
    const text = query.sql.replace(/\s+/g, ' ').trim()
    store?.sent.push(text)
    store?.timeline.push(`start ${text}`)
    const answer = original.call(this, query)
    return store ? answer.finally(() => store.timeline.push(`end ${text}`)) : answer
  } as DatabaseConnection['executeQuery']
  try {
    await counting.run(seen, run)
  } finally {
    proto.executeQuery = original
  }
  return seen
}

t.test('availability of a listing is one database round trip', async (t) => {
  const { app, publish } = await testApp(t)
  const listing = makeListing({ rules: { minNoticeHours: 0 } })
  await publish(listing)
  const url = `/v1/availability/${listing.id}?from=2026-11-23T00:00:00%2B08:00&to=2026-11-30T00:00:00%2B08:00`
  let res = await app.inject({ method: 'GET', url })
  t.equal(res.statusCode, 200)
  const sent = await statementsDuring(app.bookings.deps.db as Kysely<unknown>, async () => {
    res = await app.inject({ method: 'GET', url })
  })
  t.equal(res.statusCode, 200)
  t.equal(res.json().slots.length, 7 * 9)
  t.equal(sent.length, 1, sent.join('\n'))
})

t.test('creating a booking sends the statements counted here, and no more', async (t) => {
  const { app, publish } = await testApp(t)
  const listing = makeListing()
  await publish(listing)
  const organizationId = randomUUID()
  const token = await tokenFor({ roles: { [organizationId]: 'member' } })
  const book = (day: number) =>
    app.inject({
      method: 'POST',
      url: '/v1/bookings',
      headers: { ...bearer(token), 'idempotency-key': randomUUID() },
      payload: {
        listingId: listing.id,
        organizationId,
        start: `2026-11-${day}T10:00:00+08:00`,
        end: `2026-11-${day}T11:00:00+08:00`,
        attendees: 5,
        purpose: '读书会',
      },
    })
  t.equal((await book(24)).statusCode, 201)
  let res = await book(25)
  const { sent, timeline } = await timelineDuring(app.bookings.deps.db as Kysely<unknown>, async () => {
    res = await book(26)
  })
  t.equal(res.statusCode, 201, res.body)
  // Before: 3 reads (key, listing, busy ranges), then begin, lock, booking, timer, audit, event, notify, key,
  // commit: 12. Now: the key read and the listing with its busy ranges, the parent's quota that applies
  // (issue 19) and both sides' names and contacts for the answer (issue 14) (in parallel), then begin, the
  // caps' locks and their count (issue 13), the booking with its locks, audit step and key, the timer, the
  // event with its notify, commit: 9. Every signed-in request also reads the caller's roles from the access
  // replica (issue 13: roles from current state, not the token), in one statement: 10. Then the key's stored
  // answer joined the listing's read (issue 17): 9. Then (issue 17) the caps' locks and count, the timer and
  // the event with its notify joined the booking's statement, which, one statement being atomic on its own,
  // needs no BEGIN and COMMIT: the roles, the listing read and the write, 3.
  t.equal(sent.length, 3, sent.join('\n'))
  t.equal(sent.filter((s) => /^(begin|commit)/i.test(s)).length, 0)
  // And the roles are read in parallel with the listing (they need nothing from it), not before it: two
  // round trips in a row, not three.
  const started = (pattern: RegExp) => timeline.findIndex((e) => e.startsWith('start') && pattern.test(e))
  const ended = (pattern: RegExp) => timeline.findIndex((e) => e.startsWith('end') && pattern.test(e))
  const roles = /from access_users/
  const listingRead = /from listing_replica l/
  t.ok(started(roles) >= 0 && started(listingRead) >= 0, timeline.join('\n'))
  t.ok(started(listingRead) < ended(roles), `the listing read starts before the roles arrive:\n${timeline.join('\n')}`)
  t.ok(started(/insert into bookings/) > ended(listingRead), timeline.join('\n'))
})

t.test('requests racing for one slot learn 409 without queueing on the listing lock', async (t) => {
  const { app, publish } = await testApp(t)
  const listing = makeListing()
  await publish(listing)
  const requesters = await Promise.all(
    Array.from({ length: 20 }, async () => {
      const organizationId = randomUUID()
      return { organizationId, token: await tokenFor({ roles: { [organizationId]: 'member' } }) }
    }),
  )
  let statuses: number[] = []
  const sent = await statementsDuring(app.bookings.deps.db as Kysely<unknown>, async () => {
    const answers = await Promise.all(
      requesters.map((r) =>
        app.inject({
          method: 'POST',
          url: '/v1/bookings',
          headers: { ...bearer(r.token), 'idempotency-key': randomUUID() },
          payload: {
            listingId: listing.id,
            organizationId: r.organizationId,
            start: '2026-11-24T10:00:00+08:00',
            end: '2026-11-24T11:00:00+08:00',
            attendees: 5,
            purpose: '抢订',
          },
        }),
      ),
    )
    statuses = answers.map((a) => a.statusCode)
  })
  t.equal(statuses.filter((s) => s === 201).length, 1)
  t.equal(statuses.filter((s) => s === 409).length, 19)
  // The losers wait for the winner in the process (or see its booking in their first read) and answer
  // without a transaction of their own. Before, each opened one and queued on the lock to fail on the
  // constraint. A loser whose first read ran just before the winner committed, but whose answer arrived
  // just after, still goes to the database: a narrow window, hence not exactly one.
  const transactions = sent.filter((s) => /^begin/i.test(s)).length
  t.ok(transactions <= 3, `${transactions} transactions for 20 requests`)
  // Nor do they read the listing: the first claims the window before its reads and the rest wait for its
  // outcome (before, each read the listing, its busy ranges and its key, three round trips queued on the
  // pool). Only a request whose handler starts after the winner is done reads, and finds the slot taken:
  // how many do depends on the machine's load (5 on an idle one, 6 seen in CI; 12 before the claims).
  const listingReads = sent.filter((s) => /from listing_replica l/.test(s)).length
  t.ok(listingReads < 10, `${listingReads} listing reads for 20 requests`)
})
