import t from 'tap'
import { act, bearer, bookedListing, testApp, tokenFor } from './helpers.ts'

const NOW = '2026-11-21T00:00:00Z'

t.test('a moderator does not override bookings of an organization they belong to', async (t) => {
  const h = await testApp(t, { now: NOW })
  const { listing, p, booking } = await bookedListing(t, h, { start: '2026-12-01T10:00', end: '2026-12-01T11:00' })
  t.equal((await act(h.app, p.provider.token, booking.id, 'accept')).statusCode, 200)
  h.clock.set('2026-12-01T03:30:00Z')

  // A plain member of the provider moderates too: completing or disputing is no party's right of theirs,
  // so it would be an override, in their own organization's cause.
  const providerMember = await tokenFor({ moderator: true, roles: { [listing.organizationId]: 'member' } })
  for (const action of ['complete', 'no-show']) {
    const own = await act(h.app, providerMember, booking.id, action, '运营代为操作')
    t.equal(own.statusCode, 403, `${action}: ${own.body}`)
    t.equal(own.json().code, 'own_organization', action)
  }
  const damage = await h.app.inject({
    method: 'POST',
    url: `/v1/bookings/${booking.id}/damage`,
    headers: bearer(providerMember),
    payload: { amount: 1, reason: '损坏' },
  })
  t.equal(damage.statusCode, 403, damage.body)
  t.equal(damage.json().code, 'own_organization')

  // A moderator in the requesting organization may not accept on the provider's behalf either.
  const requesterSide = await tokenFor({ moderator: true, roles: { [p.requesterOrg]: 'member' } })
  const complete = await act(h.app, requesterSide, booking.id, 'complete', '运营代为操作')
  t.equal(complete.statusCode, 403, complete.body)
  t.equal(complete.json().code, 'own_organization')

  const history = await h.app.inject({
    method: 'GET',
    url: `/v1/bookings/${booking.id}/history`,
    headers: bearer(p.moderator.token),
  })
  t.same(
    history.json().items.map((i: { by: string }) => i.by),
    ['requester', 'provider'],
    'no override was recorded',
  )

  // A moderator of no side still settles it.
  const done = await act(h.app, p.moderator.token, booking.id, 'complete', '运营代为操作')
  t.equal(done.statusCode, 200, done.body)
  t.equal(done.json().status, 'completed')
})
