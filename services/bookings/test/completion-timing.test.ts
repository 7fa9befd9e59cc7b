import t from 'tap'
import { act, bearer, bookedListing, testApp } from './helpers.ts'

const NOW = '2026-11-21T00:00:00Z'

t.test('nobody completes or reports a no-show before the start, moderators included', async (t) => {
  const h = await testApp(t, { now: NOW })
  const { listing, p, booking } = await bookedListing(t, h, { start: '2026-12-01T10:00', end: '2026-12-01T11:00' })
  t.equal((await act(h.app, p.provider.token, booking.id, 'accept')).statusCode, 200)

  // Two days before the start.
  h.clock.set('2026-11-29T02:00:00Z')
  for (const action of ['complete', 'no-show']) {
    const early = await act(h.app, p.moderator.token, booking.id, action, '运营代为操作')
    t.equal(early.statusCode, 409, `${action}: ${early.body}`)
    t.match(early.json(), { code: 'invalid_transition', detail: /not started/ }, action)
  }
  await h.app.ratings.syncCompletions()
  const got = await h.app.inject({
    method: 'GET',
    url: `/v1/bookings/${booking.id}`,
    headers: bearer(p.moderator.token),
  })
  t.equal(got.json().status, 'confirmed', 'the booking did not move')
  const ledger = await h.app.inject({ method: 'GET', url: `/v1/ledger/listings/${listing.id}` })
  t.same(ledger.json().months, [], 'no completed use in the public ledger')
  const windows = await h.app.bookings.deps.db
    .selectFrom('ratingWindows')
    .select('bookingId')
    .where('bookingId', '=', booking.id)
    .execute()
  t.same(windows, [], 'no rating window opened')

  // From the start on, the moderator's override goes through.
  h.clock.set('2026-12-01T02:30:00Z')
  const done = await act(h.app, p.moderator.token, booking.id, 'complete', '运营代为操作')
  t.equal(done.statusCode, 200, done.body)
  t.equal(done.json().status, 'completed')
  await h.app.ratings.syncCompletions()
  const after = await h.app.inject({ method: 'GET', url: `/v1/ledger/listings/${listing.id}` })
  t.equal(after.json().months[0]?.completedBookings, 1)
})
