import { randomUUID } from 'node:crypto'
import { LISTINGS_EVENTS } from '@commons/contracts'
import { appendEvent, createDb, type NewEvent } from '@commons/db'
import t from 'tap'
import type { DB } from '../src/db/schema.ts'
import { book, type Harness, makeListing, testApp, tokenFor } from './helpers.ts'

// "Now" is Saturday 2026-11-21 08:00 Shanghai; bookings are in December and January (min notice 24 h).
const NOW = '2026-11-21T00:00:00Z'

async function emit(h: Harness, event: NewEvent) {
  await h.listingsDb.transaction().execute((trx) => appendEvent(trx, event))
  await h.app.bookings.syncListings()
}

/** Links `child` below `parent` as the listings feed announces a confirmed link. */
const linkParent = (h: Harness, child: string, parent: string | null, version = 2) =>
  emit(h, {
    type: LISTINGS_EVENTS.organizationParentChanged,
    entityId: child,
    version,
    payload: { organizationId: child, parentId: parent, version },
  })

const setQuota = (h: Harness, parent: string, hoursPerMonth: number, version = 1) =>
  emit(h, {
    type: LISTINGS_EVENTS.organizationQuotasChanged,
    entityId: parent,
    version,
    payload: { organizationId: parent, quotas: [{ kind: 'venue', hoursPerMonth }], version },
  })

/** A member of a fresh organization, with a token that may book for it. */
async function group() {
  const id = randomUUID()
  return { id, token: await tokenFor({ userId: randomUUID(), roles: { [id]: 'member' } }) }
}

t.test('fair-share quota', async (t) => {
  const h = await testApp(t, { now: NOW })
  const parent = randomUUID()
  const rules = { maxDurationMinutes: 480 }
  const hall = makeListing({ organizationId: parent, rules })
  const room = makeListing({ organizationId: parent, rules })
  await h.publish(hall)
  await h.publish(room)
  await setQuota(h, parent, 4)

  t.test('the booking past the cap is refused with what remains; the next month starts afresh', async (t) => {
    const child = await group()
    await linkParent(h, child.id, parent)
    const as = (listingId: string, start: string, end: string) =>
      book(h.app, child.token, { listingId, organizationId: child.id, start, end })
    t.equal((await as(hall.id, '2026-12-01T09:00', '2026-12-01T12:00')).statusCode, 201)
    const refused = await as(room.id, '2026-12-02T09:00', '2026-12-02T11:00')
    t.equal(refused.statusCode, 409, refused.body)
    t.equal(refused.json().code, 'quota_exceeded')
    t.same(refused.json().quota, {
      kind: 'venue',
      month: '2026-12',
      hoursPerMonth: 4,
      usedHours: 3,
      requestedHours: 2,
      remainingHours: 1,
    })
    t.match(refused.json().detail, /1 h/)
    t.equal((await as(room.id, '2026-12-02T09:00', '2026-12-02T10:00')).statusCode, 201, 'what remains is bookable')
    t.equal((await as(hall.id, '2027-01-04T09:00', '2027-01-04T13:00')).statusCode, 201)
  })

  t.test('organizations further down are capped too; others and the parent itself are not', async (t) => {
    const middle = await group()
    const grandchild = await group()
    await linkParent(h, middle.id, parent)
    await linkParent(h, grandchild.id, middle.id)
    const deep = await book(h.app, grandchild.token, {
      listingId: hall.id,
      organizationId: grandchild.id,
      start: '2026-12-03T09:00',
      end: '2026-12-03T14:00',
    })
    t.equal(deep.statusCode, 409)
    t.equal(deep.json().code, 'quota_exceeded')

    const outsider = await group()
    const free = await book(h.app, outsider.token, {
      listingId: hall.id,
      organizationId: outsider.id,
      start: '2026-12-04T09:00',
      end: '2026-12-04T14:00',
    })
    t.equal(free.statusCode, 201, 'an organization outside the hierarchy is not capped')

    const unlinked = await group()
    await linkParent(h, unlinked.id, parent, 2)
    await linkParent(h, unlinked.id, null, 3)
    const gone = await book(h.app, unlinked.token, {
      listingId: room.id,
      organizationId: unlinked.id,
      start: '2026-12-04T09:00',
      end: '2026-12-04T14:00',
    })
    t.equal(gone.statusCode, 201, 'an ended link no longer caps')
  })

  t.test('no concurrent pair of bookings exceeds the cap', async (t) => {
    const child = await group()
    await linkParent(h, child.id, parent)
    const days = ['07', '08', '09', '10', '11', '14']
    const results = await Promise.all(
      days.flatMap((day) =>
        [hall, room].map((listing) =>
          book(h.app, child.token, {
            listingId: listing.id,
            organizationId: child.id,
            start: `2026-12-${day}T15:00`,
            end: `2026-12-${day}T17:00`,
          }),
        ),
      ),
    )
    const codes = results.map((r) => (r.statusCode === 201 ? 201 : r.json().code))
    t.equal(codes.filter((c) => c === 201).length, 2, `two 2-hour bookings fill 4 hours: ${codes.join(',')}`)
    t.equal(codes.filter((c) => c === 'quota_exceeded').length, results.length - 2)

    const db = createDb<DB>({ url: h.databaseUrl, schema: 'bookings', poolMax: 1 })
    t.teardown(() => db.destroy())
    const held = await db
      .selectFrom('bookings')
      .select(['startAt', 'endAt'])
      .where('requesterOrganizationId', '=', child.id)
      .execute()
    const hours = held.reduce((sum, b) => sum + (b.endAt.getTime() - b.startAt.getTime()) / 3_600_000, 0)
    t.equal(hours, 4)
  })

  t.test('a raised quota arrives by the feed and applies at once', async (t) => {
    const child = await group()
    await linkParent(h, child.id, parent)
    await setQuota(h, parent, 10, 2)
    const res = await book(h.app, child.token, {
      listingId: hall.id,
      organizationId: child.id,
      start: '2026-12-15T09:00',
      end: '2026-12-15T13:00',
    })
    t.equal(res.statusCode, 201)
    const more = await book(h.app, child.token, {
      listingId: room.id,
      organizationId: child.id,
      start: '2026-12-15T09:00',
      end: '2026-12-15T13:00',
    })
    t.equal(more.statusCode, 201)
  })
})
