import { randomUUID } from 'node:crypto'
import { BOOKINGS_EVENTS, ReputationUpdatedPayload } from '@commons/contracts'
import t from 'tap'
import { instantBookAllowed } from '../src/reputation/reputation.service.ts'
import { reputationOf } from '../src/reputation/reputation.ts'
import { book, tokenFor } from './helpers.ts'
import { ratingsSetup } from './ratings-support.ts'

t.test('the Bayesian average pulls few ratings toward the prior (4.0, weight 5)', async (t) => {
  const none = reputationOf({ 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 })
  t.same(none, { average: 4, mean: null, count: 0, distribution: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } })
  const oneFive = reputationOf({ 1: 0, 2: 0, 3: 0, 4: 0, 5: 1 })
  t.equal(oneFive.average, 4.17, '(4*5 + 5) / 6')
  t.equal(oneFive.mean, 5)
  const many = reputationOf({ 1: 0, 2: 0, 3: 0, 4: 0, 5: 95 })
  t.equal(many.average, 4.95, '(20 + 475) / 100: many ratings outweigh the prior')
  const oneBad = reputationOf({ 1: 1, 2: 0, 3: 0, 4: 0, 5: 0 })
  t.equal(oneBad.average, 3.5, 'one 1-star rating does not sink a newcomer')
})

t.test('reputation', async (t) => {
  const s = await ratingsSetup(t)
  const { p, rate, get } = s

  t.test('published ratings make the reputation of listing, organizations and member, with events', async (t) => {
    const b1 = await s.bookingIn('completed')
    await rate(p.requester.token, b1.id, { score: 5 })
    t.equal((await get(`/v1/reputation/listings/${s.listing.id}`)).json().reputation.count, 0, 'hidden: not counted')
    await rate(p.provider.token, b1.id, { score: 3 })
    const b2 = await s.bookingIn('completed')
    await rate(p.requester.token, b2.id, { score: 3 })
    await rate(p.provider.token, b2.id, { score: 4 })

    const listing = (await get(`/v1/reputation/listings/${s.listing.id}`)).json()
    t.same(listing.prior, { mean: 4, weight: 5 })
    t.equal(listing.reputation.count, 2)
    t.equal(listing.reputation.mean, 4)
    t.equal(listing.reputation.average, 4, '(20 + 8) / 7')
    t.same(listing.reputation.distribution, { 1: 0, 2: 0, 3: 1, 4: 0, 5: 1 })

    const provider = (await get(`/v1/reputation/organizations/${s.listing.organizationId}`)).json()
    t.equal(provider.asProvider.count, 2)
    t.equal(provider.asRequester.count, 0)
    const requester = (await get(`/v1/reputation/organizations/${p.requesterOrg}`)).json()
    t.equal(requester.asRequester.count, 2)
    t.equal(requester.asRequester.mean, 3.5)
    t.equal(requester.instantBookAllowed, true)
    const member = (await get(`/v1/reputation/members/${p.requester.userId}`)).json()
    t.equal(member.reputation.count, 2)

    const events = await s.events(BOOKINGS_EVENTS.reputationUpdated)
    const forListing = events.filter((e) => e.entityId === s.listing.id)
    t.equal(forListing.length, 2, 'one event per publication')
    t.same(
      forListing.map((e) => e.version),
      [1, 2],
      'versions grow per subject',
    )
    const last = ReputationUpdatedPayload.parse(forListing.at(-1)?.payload)
    t.equal(last.subject, 'listing')
    t.equal(last.count, 2)
    t.equal(last.average, 4)
    const org = events.filter((e) => e.entityId === p.requesterOrg).at(-1)
    const orgPayload = ReputationUpdatedPayload.parse(org?.payload)
    t.equal(orgPayload.asRequester?.count, 2)
  })

  t.test('two no-shows in 90 days take instant book away from a requesting group', async (t) => {
    const group = randomUUID()
    const userId = randomUUID()
    const token = await tokenFor({ userId, roles: { [group]: 'owner' } })
    await s.bookingIn('no_show', { requesterToken: token, requesterOrg: group })
    const now1 = s.h.clock.now()
    t.equal(await instantBookAllowed(s.db, group, now1), true, 'one no-show is forgiven')
    await s.bookingIn('no_show', { requesterToken: token, requesterOrg: group })
    const now2 = s.h.clock.now()
    t.equal(await instantBookAllowed(s.db, group, now2), false)
    const rep = (await get(`/v1/reputation/organizations/${group}`)).json()
    t.equal(rep.noShows90Days, 2)
    t.equal(rep.instantBookAllowed, false)
    t.equal(
      await instantBookAllowed(s.db, group, new Date(now2.getTime() + 91 * 86_400_000)),
      true,
      'they age out after 90 days',
    )
  })
})

t.test('a group with two no-shows in 90 days books an instant listing by request instead', async (t) => {
  const s = await ratingsSetup(t, { mode: 'instant' })
  const group = randomUUID()
  const token = await tokenFor({ userId: randomUUID(), roles: { [group]: 'owner' } })
  const first = await s.bookingIn('requested', { requesterToken: token, requesterOrg: group })
  t.equal(first.status, 'confirmed', 'instant book confirms at once while the record is clean')
  await s.bookingIn('no_show', { requesterToken: token, requesterOrg: group })
  await s.bookingIn('no_show', { requesterToken: token, requesterOrg: group })
  // Book from where the clock stands now, after both no-shows (the helper would move it back).
  const day = s.h.clock.now().getTime() + 2 * 86_400_000
  const slot = (hour: number) =>
    new Date(Math.floor(day / 86_400_000) * 86_400_000 + (hour - 8) * 3600_000).toISOString()
  const after = await book(s.h.app, token, {
    listingId: s.listing.id,
    organizationId: group,
    start: slot(10),
    end: slot(11),
  })
  t.equal(after.statusCode, 201, after.body)
  t.equal(after.json().status, 'requested', 'the provider has to accept it now')
  const other = await book(s.h.app, s.p.requester.token, {
    listingId: s.listing.id,
    organizationId: s.p.requesterOrg,
    start: slot(12),
    end: slot(13),
  })
  t.equal(other.json().status, 'confirmed', 'other groups still book instantly')
})
