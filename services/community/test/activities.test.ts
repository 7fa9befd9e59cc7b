import { randomUUID } from 'node:crypto'
import { Listing, type ListingFields } from '@commons/contracts'
import { sql } from 'kysely'
import t from 'tap'
import { activityBody, hostOrganization, publishedActivity } from './fixtures.ts'
import { person, testApp } from './helpers.ts'

t.test('a host drafts, edits with If-Match, publishes and cancels an activity', async (t) => {
  const h = await testApp(t)
  const host = await hostOrganization(h)
  const created = await h.app.inject({
    method: 'POST',
    url: '/v1/activities',
    headers: host.admin.headers,
    payload: activityBody(host.id),
  })
  t.equal(created.statusCode, 201, created.body)
  const draft = created.json()
  t.equal(draft.status, 'draft')
  t.equal(draft.organizationName, '阳光社区居委会')
  t.equal(draft.place.address, '张杨路 100 号 社区活动中心')

  const stranger = await person()
  t.equal(
    (await h.app.inject({ method: 'GET', url: `/v1/activities/${draft.id}`, headers: stranger.headers })).statusCode,
    404,
    'a draft is private',
  )
  t.equal(
    (await h.app.inject({ method: 'GET', url: `/v1/activities/${draft.id}`, headers: host.member.headers })).statusCode,
    200,
  )

  const noIfMatch = await h.app.inject({
    method: 'PATCH',
    url: `/v1/activities/${draft.id}`,
    headers: host.admin.headers,
    payload: { capacity: 40 },
  })
  t.equal(noIfMatch.statusCode, 428)
  const edited = await h.app.inject({
    method: 'PATCH',
    url: `/v1/activities/${draft.id}`,
    headers: { ...host.admin.headers, 'if-match': `"${draft.version}"` },
    payload: { capacity: 40 },
  })
  t.equal(edited.statusCode, 200, edited.body)
  t.equal(edited.json().capacity, 40)
  const stale = await h.app.inject({
    method: 'PATCH',
    url: `/v1/activities/${draft.id}`,
    headers: { ...host.admin.headers, 'if-match': `"${draft.version}"` },
    payload: { capacity: 50 },
  })
  t.equal(stale.statusCode, 412)
  t.equal(stale.json().code, 'version_mismatch')

  const published = await h.app.inject({
    method: 'POST',
    url: `/v1/activities/${draft.id}/publish`,
    headers: host.admin.headers,
  })
  t.equal(published.statusCode, 200)
  t.equal(published.json().status, 'published')
  const again = await h.app.inject({
    method: 'POST',
    url: `/v1/activities/${draft.id}/publish`,
    headers: host.admin.headers,
  })
  t.equal(again.json().code, 'invalid_transition')

  const list = await h.app.inject({ method: 'GET', url: '/v1/activities?targetGroup=youth' })
  t.same(
    list.json().items.map((a: { id: string }) => a.id),
    [draft.id],
  )
  t.same((await h.app.inject({ method: 'GET', url: '/v1/activities?targetGroup=elderly' })).json().items, [])

  const cancelled = await h.app.inject({
    method: 'POST',
    url: `/v1/activities/${draft.id}/cancel`,
    headers: host.admin.headers,
    payload: { reason: '天气原因' },
  })
  t.equal(cancelled.statusCode, 200)
  t.equal(cancelled.json().status, 'cancelled')
  const events = await h.app.community.deps.db.selectFrom('events').select(['type', 'version']).orderBy('id').execute()
  t.same(
    events,
    [
      { type: 'activity.changed', version: 3 },
      { type: 'activity.changed', version: 4 },
    ],
    'published changes are announced; drafts are not',
  )
})

t.test('the database refuses a lifecycle move the code would not make', async (t) => {
  const h = await testApp(t)
  const host = await hostOrganization(h)
  const activity = await publishedActivity(h, host)
  const { db } = h.app.community.deps
  await t.rejects(
    sql`update activities set status = 'draft' where id = ${activity.id}`.execute(db),
    /cannot go from published to draft/,
  )
  await sql`update activities set status = 'cancelled', cancel_reason = 'x' where id = ${activity.id}`.execute(db)
  await t.rejects(
    sql`update activities set title = 'changed', version = version + 1 where id = ${activity.id}`.execute(db),
    /cancelled activity does not change/,
  )
  await t.rejects(
    sql`insert into activities (id, organization_id, title, description, category, target_groups, start_at, end_at,
          place_kind, place_district, place_address, capacity, volunteer_places, sign_up_deadline, status,
          created_by, created_at, updated_at)
        values (${randomUUID()}, ${host.id}, 't', '', 'other', '{residents}', now(), now() + interval '1 hour',
          'address', 'x', 'y', 1, 0, now(), 'published', ${randomUUID()}, now(), now())`.execute(db),
    /starts as a draft/,
  )
})

t.test('the place is one of the host’s confirmed bookings, its own venue, or an address', async (t) => {
  const h = await testApp(t)
  const host = await hostOrganization(h)
  const provider = await hostOrganization(h, '园区党群服务中心')
  const venueId = randomUUID()
  await h.emitListings({
    type: 'listing.published',
    entityId: venueId,
    version: 1,
    payload: {
      organization: { id: provider.id, name: '园区党群服务中心', kind: 'enterprise', verified: true },
      listing: venueListing(venueId, provider.id),
    },
  })
  const bookingId = randomUUID()
  const booking = (status: string, version: number, requester = host.id) => ({
    type: 'booking.changed' as const,
    entityId: bookingId,
    version,
    payload: {
      booking: {
        id: bookingId,
        listingId: venueId,
        listingKind: 'venue' as const,
        providerOrganizationId: provider.id,
        requesterOrganizationId: requester,
        requesterUserId: host.admin.userId,
        status: status as 'requested',
        holdsSlot: true,
        start: '2026-12-08T01:00:00Z',
        end: '2026-12-08T05:00:00Z',
        bufferMinutes: 0,
        attendees: 30,
        version,
      },
    },
  })
  await h.emitBookings(booking('requested', 1))
  const create = (place: unknown, over: Record<string, unknown> = {}) =>
    h.app.inject({
      method: 'POST',
      url: '/v1/activities',
      headers: host.admin.headers,
      payload: activityBody(host.id, { place, ...over }),
    })

  const unconfirmed = await create({ kind: 'booking', bookingId })
  t.equal(unconfirmed.statusCode, 422)
  t.equal(unconfirmed.json().code, 'place_unavailable')
  await h.emitBookings(booking('confirmed', 2))
  const inHall = await create({ kind: 'booking', bookingId })
  t.equal(inHall.statusCode, 201, inHall.body)
  t.match(inHall.json().place, {
    kind: 'booking',
    listingId: venueId,
    title: '党群服务中心多功能厅',
    district: '浦东新区',
  })
  const outside = await create({ kind: 'booking', bookingId }, { end: '2026-12-08T06:00:00Z' })
  t.equal(outside.json().code, 'place_unavailable', 'the activity must fit the booked time')

  const notOwnVenue = await create({ kind: 'venue', venueId })
  t.equal(notOwnVenue.json().code, 'place_unavailable', 'another organization’s venue needs a booking')
  const providerVenue = await h.app.inject({
    method: 'POST',
    url: '/v1/activities',
    headers: provider.admin.headers,
    payload: activityBody(provider.id, { place: { kind: 'venue', venueId } }),
  })
  t.equal(providerVenue.statusCode, 201)
  t.equal(providerVenue.json().place.title, '党群服务中心多功能厅')
})

function venueListing(id: string, organizationId: string) {
  const fields = {
    kind: 'venue',
    title: '党群服务中心多功能厅',
    location: { city: '上海', district: '浦东新区', address: '张江路 1 号', lat: 31.2, lng: 121.6 },
    capacity: 80,
    pricing: { model: 'free' },
    rules: {
      mode: 'instant',
      slotMinutes: 60,
      minDurationMinutes: 60,
      maxDurationMinutes: 480,
      minNoticeHours: 0,
      maxAdvanceDays: 90,
      bufferMinutes: 0,
      cancellationPolicy: 'flexible',
    },
    availability: { timezone: 'Asia/Shanghai', weekly: { mon: [{ start: '09:00', end: '18:00' }] } },
  } as unknown as ListingFields
  return Listing.parse({
    ...fields,
    id,
    organizationId,
    status: 'published',
    version: 1,
    rejectionReason: null,
    createdAt: '2026-11-01T00:00:00Z',
    updatedAt: '2026-11-01T00:00:00Z',
    publishedAt: '2026-11-01T00:00:00Z',
  })
}
