import { randomUUID } from 'node:crypto'
import { appendEvent, createDb, migrateToLatest, readFeed } from '@commons/db'
import { type Kysely, sql } from 'kysely'
import t from 'tap'
import { testApp, tokenFor } from './helpers.ts'

t.test('a volunteer’s hours at a community activity become time credits, once, in the balanced journal', async (t) => {
  // The community outbox lives in the test's database, made once the harness has cloned it.
  let ready: (db: Kysely<unknown>) => void = () => {}
  const communityDb = new Promise<Kysely<unknown>>((resolve) => {
    ready = resolve
  })
  const h = await testApp(t, {
    overrides: { communityFeed: async (after, limit) => readFeed(await communityDb, { after, limit }) },
  })
  const db = createDb<unknown>({ url: h.databaseUrl, schema: 'community', poolMax: 2 })
  t.teardown(() => db.destroy())
  await migrateToLatest(db, { schema: 'community', migrations: {} })
  ready(db)

  const organizationId = randomUUID()
  const userId = randomUUID()
  const registrationId = randomUUID()
  const served = {
    type: 'activity.volunteer-served' as const,
    entityId: registrationId,
    version: 1,
    payload: {
      registrationId,
      activityId: randomUUID(),
      organizationId,
      userId,
      minutes: 90,
      servedAt: '2026-12-08T04:00:00Z',
    },
  }
  await db.transaction().execute((trx) => appendEvent(trx, served))
  // Delivered twice (at least once): credited once.
  await db.transaction().execute((trx) => appendEvent(trx, served))
  await h.app.bookings.syncCommunity()

  const token = await tokenFor({ userId })
  const mine = await h.app.inject({
    method: 'GET',
    url: `/v1/time-credits/members/${userId}`,
    headers: { authorization: `Bearer ${token}` },
  })
  t.equal(mine.statusCode, 200, mine.body)
  t.equal(mine.json().balanceHours, 1.5)
  t.equal(mine.json().entries[0].activityId, served.payload.activityId)
  t.equal(mine.json().entries[0].bookingId, null)
  const host = await h.app.inject({ method: 'GET', url: `/v1/time-credits/organizations/${organizationId}` })
  t.equal(host.json().balanceHours, -1.5)
  t.equal(host.json().bookings, 0, 'activities are not counted as bookings')
  const { rows } = await sql<{ n: string }>`select coalesce(sum(minutes), 0) as n from bookings.credit_entries`.execute(
    h.app.bookings.deps.db,
  )
  t.equal(Number(rows[0]?.n), 0, 'the journal sums to zero')
})
