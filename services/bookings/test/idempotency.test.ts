import t from 'tap'
import { book, makeListing, parties, testApp, tokenFor } from './helpers.ts'

// "Now" is Saturday 2026-11-21 08:00 Shanghai; the booking is on Tuesday 2026-12-01 (min notice 24 h).
const NOW = '2026-11-21T00:00:00Z'

t.test('a replayed Idempotency-Key answers the first 201 even once the rules would refuse the request', async (t) => {
  const h = await testApp(t, { now: NOW })
  const listing = makeListing({ rules: { minNoticeHours: 24 } })
  await h.publish(listing)
  const p = await parties(listing)
  const body = {
    listingId: listing.id,
    organizationId: p.requesterOrg,
    start: '2026-12-01T10:00',
    end: '2026-12-01T11:00',
  }
  const first = await book(h.app, p.requester.token, body, 'replay-key')
  t.equal(first.statusCode, 201, first.body)
  const fresh = { ...body, start: '2026-12-01T14:00', end: '2026-12-01T15:00' }

  // Each step adds a rule that now refuses a new request; the replay still answers what was answered.
  h.clock.set('2026-12-01T00:30:00Z') // 08:30 in Shanghai, 90 minutes before the start
  const late = await book(h.app, p.requester.token, fresh)
  t.match(late.json(), { code: 'outside_availability', rule: 'min_notice' }, 'the notice period has passed')
  let replay = await book(h.app, p.requester.token, body, 'replay-key')
  t.equal(replay.statusCode, 201, replay.body)
  t.same(replay.json(), first.json(), 'after the notice period')

  await h.withdraw({ ...listing, version: 3 }, 'paused')
  t.equal((await book(h.app, p.requester.token, fresh)).json().code, 'listing_unavailable', 'the listing is paused')
  replay = await book(h.app, p.requester.token, body, 'replay-key')
  t.equal(replay.statusCode, 201, replay.body)
  t.same(replay.json(), first.json(), 'after the listing was paused')

  // Tokens carry roles; a member removed from the group gets one without it.
  const removed = await tokenFor({ userId: p.requester.userId, roles: {} })
  t.equal((await book(h.app, removed, fresh)).statusCode, 403, 'the member left the group')
  replay = await book(h.app, removed, body, 'replay-key')
  t.equal(replay.statusCode, 201, replay.body)
  t.same(replay.json(), first.json(), 'after the member was removed')
})
