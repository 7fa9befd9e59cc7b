import t from 'tap'
import { testApp } from './helpers.ts'

t.test('the service answers health and readiness with its database reachable', async (t) => {
  const { app } = await testApp(t)
  const health = await app.inject({ method: 'GET', url: '/health' })
  t.equal(health.statusCode, 200)
  const ready = await app.inject({ method: 'GET', url: '/ready' })
  t.equal(ready.statusCode, 200)
  t.equal(ready.json().checks.database, 'ok')
})

t.test('the feed needs the service token', async (t) => {
  const { app } = await testApp(t)
  const res = await app.inject({ method: 'GET', url: '/v1/events' })
  t.equal(res.statusCode, 401)
})

t.test('organizations, venues and bookings are replicated from the feeds, newest version kept', async (t) => {
  const { app, emitListings, emitBookings } = await testApp(t)
  const orgId = '00000000-0000-4000-8000-000000000001'
  const organization = {
    id: orgId,
    name: '阳光社区居委会',
    kind: 'residents_committee',
    district: '浦东新区',
    city: '上海',
    description: '',
    verified: true,
    version: 2,
    createdAt: '2026-11-01T00:00:00Z',
    updatedAt: '2026-11-01T00:00:00Z',
  } as const
  await emitListings({ type: 'organization.updated', entityId: orgId, version: 2, payload: { organization } })
  await emitListings({
    type: 'organization.updated',
    entityId: orgId,
    version: 1,
    payload: { organization: { ...organization, name: '旧名', version: 1 } },
  })
  const bookingId = '00000000-0000-4000-8000-000000000002'
  await emitBookings({
    type: 'booking.changed',
    entityId: bookingId,
    version: 3,
    payload: {
      booking: {
        id: bookingId,
        listingId: '00000000-0000-4000-8000-000000000003',
        listingKind: 'venue',
        providerOrganizationId: '00000000-0000-4000-8000-000000000004',
        requesterOrganizationId: orgId,
        requesterUserId: '00000000-0000-4000-8000-000000000005',
        status: 'confirmed',
        holdsSlot: true,
        start: '2026-12-05T02:00:00Z',
        end: '2026-12-05T04:00:00Z',
        bufferMinutes: 0,
        attendees: 20,
        version: 3,
      },
    },
  })
  const { db } = app.community.deps
  const org = await db.selectFrom('organizations').selectAll().where('id', '=', orgId).executeTakeFirstOrThrow()
  t.equal(org.name, '阳光社区居委会')
  const booking = await db.selectFrom('bookings').selectAll().where('id', '=', bookingId).executeTakeFirstOrThrow()
  t.equal(booking.status, 'confirmed')
  t.equal(booking.requesterOrganizationId, orgId)
})
