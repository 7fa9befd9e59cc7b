import { randomUUID } from 'node:crypto'
import { createDb, migrateToLatest } from '@commons/db'
import { testDatabase } from '@commons/testkit'
import { sql } from 'kysely'
import t from 'tap'
import { SCHEMA } from '../src/app.ts'
import { migrations } from '../src/db/migrations/index.ts'

// The migrations that were live before bookings kept listing titles and audit roles.
const FIRST_NEW = '2026-11-22T1000-booking-listing-title'
const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < FIRST_NEW))

t.test('bookings and audit rows made before the history migrations are backfilled', async (t) => {
  const url = await testDatabase(t, {
    template: 'bookings-before-history',
    prepare: async (url) => {
      const db = createDb({ url, schema: SCHEMA, poolMax: 1 })
      try {
        await migrateToLatest(db, { schema: SCHEMA, migrations: before })
      } finally {
        await db.destroy()
      }
    },
  })
  const db = createDb<unknown>({ url, schema: SCHEMA, poolMax: 1 })
  t.teardown(() => db.destroy())
  const listingId = randomUUID()
  const bookingId = randomUUID()
  const requester = randomUUID()
  const groupMember = randomUUID()
  const provider = randomUUID()
  await sql`
    insert into listing_replica (listing_id, organization_id, organization_name, kind, status, version, title,
      capacity, pricing, rules, availability)
    values (${listingId}, gen_random_uuid(), '街道', 'venue', 'published', 1, '社区活动室', 10, '{}', '{}', '{}')
  `.execute(db)
  await sql`
    insert into bookings (id, listing_id, listing_kind, provider_organization_id, requester_organization_id,
      requester_user_id, status, start_at, end_at, buffer_minutes, busy_until, attendees, purpose, price,
      payment_provider, payment_status, created_at, updated_at)
    values (${bookingId}, ${listingId}, 'venue', gen_random_uuid(), gen_random_uuid(), ${requester}, 'cancelled',
      '2026-12-01T02:00Z', '2026-12-01T03:00Z', 0, '2026-12-01T03:00Z', 5, 'x', '{}', 'offline', 'none', now(), now())
  `.execute(db)
  const steps: Array<[string | null, string, boolean]> = [
    [requester, 'create', false],
    [provider, 'accept', false],
    [randomUUID(), 'decline', true],
    [null, 'auto_complete', false],
    [groupMember, 'cancel', false],
    [requester, 'cancel', false],
  ]
  for (const [actor, action, override] of steps) {
    await sql`
      insert into booking_audit (booking_id, actor_user_id, action, from_status, to_status, moderator_override, at)
      values (${bookingId}, ${actor}, ${action}, null, 'requested', ${override}, now())
    `.execute(db)
  }
  await sql`
    insert into idempotency_keys (user_id, key, request_hash, status_code, response)
    values (${requester}, 'k', 'h', 201, ${JSON.stringify({ id: bookingId, status: 'requested' })}::jsonb)
  `.execute(db)

  await migrateToLatest(db, { schema: SCHEMA, migrations })

  // The kit's CamelCasePlugin renames result columns.
  const booking = await sql<{ listingTitle: string }>`select listing_title from bookings`.execute(db)
  t.same(booking.rows, [{ listingTitle: '社区活动室' }])
  const roles = await sql<{ actorRole: string }>`select actor_role from booking_audit order by id`.execute(db)
  t.same(
    roles.rows.map((r) => r.actorRole),
    // Who cancelled for which side was not kept: a cancel by another member of the group reads as the provider's.
    ['requester', 'provider', 'moderator', 'system', 'provider', 'requester'],
  )
  const stored = await sql<{ response: { listingTitle?: string } }>`select response from idempotency_keys`.execute(db)
  t.equal(stored.rows[0]?.response.listingTitle, '社区活动室', 'a replayed answer is a whole Booking')
  await t.rejects(
    sql`update booking_audit set actor_role = 'someone'`.execute(db),
    { code: '23514' },
    'roles are checked',
  )
})
