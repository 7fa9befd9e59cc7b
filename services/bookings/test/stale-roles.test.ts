import { randomUUID } from 'node:crypto'
import { LISTINGS_EVENTS } from '@commons/contracts'
import t from 'tap'
import { act, bearer, book, makeListing, parties, testApp, tokenFor } from './helpers.ts'

const NOW = '2026-11-21T00:00:00Z'

/**
 * Roles and the moderator flag come from current state (the access replica fed by listings), not from the
 * token: a removed admin, a revoked moderator and a signed-out user lose power as soon as listings says so,
 * though their tokens are still within their 15 minutes (issue 13, item 3).
 */
t.test('stale tokens', async (t) => {
  const h = await testApp(t, { now: NOW })
  const listing = makeListing()
  await h.publish(listing)
  const p = await parties(listing)
  const admin = { userId: randomUUID(), roles: { [listing.organizationId]: 'admin' as const } }
  const adminToken = await tokenFor(admin)
  const members = (version: number, list: Array<{ userId: string; role: 'owner' | 'admin' | 'member' }>) =>
    h.emit({
      type: LISTINGS_EVENTS.organizationMembers,
      entityId: listing.organizationId,
      version,
      payload: {
        organizationId: listing.organizationId,
        members: list.map((m) => ({ ...m, displayName: '成员' })),
      },
    })
  let day = 0
  // Each on a day of its own, so none waits on another's slot.
  const requested = async () => {
    const date = `2026-12-${String(++day).padStart(2, '0')}`
    const res = await book(h.app, p.requester.token, {
      listingId: listing.id,
      organizationId: p.requesterOrg,
      start: `${date}T10:00`,
      end: `${date}T11:00`,
    })
    return res.json()
  }

  t.test('a removed admin with an old token can no longer act, list or issue calendar links', async (t) => {
    const first = await requested()
    t.equal((await act(h.app, adminToken, first.id, 'accept')).statusCode, 200, 'an admin accepts')
    const listUrl = `/v1/bookings?as=provider&organizationId=${listing.organizationId}`
    t.equal((await h.app.inject({ method: 'GET', url: listUrl, headers: bearer(adminToken) })).statusCode, 200)
    const link = await h.app.inject({
      method: 'POST',
      url: `/v1/calendars/organizations/${listing.organizationId}/token`,
      headers: bearer(adminToken),
    })
    t.equal(link.statusCode, 200)
    const feedUrl = `/v1/calendars/organizations/${listing.organizationId}.ics?token=${link.json().token}`
    t.equal((await h.app.inject({ method: 'GET', url: feedUrl })).statusCode, 200)

    // Listings removes the admin: version 2 is newer than the version 1 their token was signed at.
    await members(2, [{ userId: p.provider.userId, role: 'owner' }])

    const second = await requested()
    const accept = await act(h.app, adminToken, second.id, 'accept')
    t.ok([403, 404].includes(accept.statusCode), `accepting answers ${accept.statusCode}`)
    const list = await h.app.inject({
      method: 'GET',
      url: `/v1/bookings?as=provider&organizationId=${listing.organizationId}`,
      headers: bearer(adminToken),
    })
    t.equal(list.statusCode, 403, 'listing the organization bookings is refused')
    const again = await h.app.inject({
      method: 'POST',
      url: `/v1/calendars/organizations/${listing.organizationId}/token`,
      headers: bearer(adminToken),
    })
    t.equal(again.statusCode, 403, 'no new calendar link')
    t.equal((await h.app.inject({ method: 'GET', url: feedUrl })).statusCode, 404, 'the link they issued stops working')
    t.equal((await act(h.app, p.provider.token, second.id, 'accept')).statusCode, 200, 'the owner still acts')
  })

  t.test('a replayed older snapshot does not bring a removed member back', async (t) => {
    await members(1, [
      { userId: p.provider.userId, role: 'owner' },
      { userId: admin.userId, role: 'admin' },
    ])
    const third = await requested()
    const accept = await act(h.app, adminToken, third.id, 'accept')
    t.ok([403, 404].includes(accept.statusCode), `accepting answers ${accept.statusCode}`)
  })

  t.test('a revoked moderator loses moderator power at once', async (t) => {
    const moderator = { userId: randomUUID(), moderator: true }
    const token = await tokenFor(moderator)
    const booking = await requested()
    const path = `/v1/bookings/${booking.id}`
    t.equal((await h.app.inject({ method: 'GET', url: path, headers: bearer(token) })).statusCode, 200)
    await h.emit({
      type: LISTINGS_EVENTS.accountAccess,
      entityId: moderator.userId,
      version: 2,
      payload: { userId: moderator.userId, moderator: false, tokenEpoch: 0 },
    })
    const after = await h.app.inject({ method: 'GET', url: path, headers: bearer(token) })
    t.ok([403, 404].includes(after.statusCode), `reading another's booking answers ${after.statusCode}`)
  })

  t.test('after logout, the old access token is refused with token_revoked', async (t) => {
    const booking = await requested()
    const path = `/v1/bookings/${booking.id}`
    t.equal((await h.app.inject({ method: 'GET', url: path, headers: bearer(p.requester.token) })).statusCode, 200)
    await h.emit({
      type: LISTINGS_EVENTS.accountAccess,
      entityId: p.requester.userId,
      version: 2,
      payload: { userId: p.requester.userId, moderator: false, tokenEpoch: 1 },
    })
    const after = await h.app.inject({ method: 'GET', url: path, headers: bearer(p.requester.token) })
    t.equal(after.statusCode, 401)
    t.equal(after.json().code, 'token_revoked')
  })
})
