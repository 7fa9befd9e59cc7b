import { randomUUID } from 'node:crypto'
import { Listing, type Pricing } from '@commons/contracts'
import { sql } from 'kysely'
import t from 'tap'
import { JOBS_SCHEMA } from '../src/jobs/booking-jobs.ts'
import { act, bearer, book, bookedListing, makeListing, parties, testApp, tokenFor } from './helpers.ts'

const NOW = '2026-11-21T00:00:00Z'
const HOUR = 3600_000

const feePricing: Pricing = { model: 'fee', unit: 'booking', price: { amount: 20_000, currency: 'CNY' } }

t.test('a policy changed after the booking does not change its refund (issue 13 item 2)', async (t) => {
  const h = await testApp(t, { now: NOW })
  const listing = makeListing({ pricing: feePricing, rules: { cancellationPolicy: 'flexible' } })
  await h.publish(listing)
  const p = await parties(listing)
  const res = await book(h.app, p.requester.token, {
    listingId: listing.id,
    organizationId: p.requesterOrg,
    start: '2026-12-05T10:00',
    end: '2026-12-05T11:00',
  })
  t.equal(res.statusCode, 201, res.body)
  const booking = res.json()
  const paid = await h.app.inject({
    method: 'POST',
    url: `/v1/bookings/${booking.id}/payment`,
    headers: bearer(p.provider.token),
    payload: { method: 'cash', reference: '收据 002' },
  })
  t.equal(paid.statusCode, 200, paid.body)
  t.equal((await act(h.app, p.provider.token, booking.id, 'accept')).statusCode, 200)

  // The provider hardens the listing's policy once the booking is made.
  await h.publish(
    Listing.parse({
      ...listing,
      version: listing.version + 1,
      rules: { ...listing.rules, cancellationPolicy: 'strict' },
    }),
  )
  h.clock.set(new Date(Date.parse(booking.start) - 48 * HOUR))
  const preview = await h.app.inject({
    method: 'GET',
    url: `/v1/bookings/${booking.id}/refund-preview`,
    headers: bearer(p.requester.token),
  })
  t.match(preview.json(), { policy: 'flexible', share: 1, amount: 20_000 })
  const cancelled = await act(h.app, p.requester.token, booking.id, 'cancel')
  t.equal(cancelled.statusCode, 200, cancelled.body)
  t.equal(cancelled.json().refundedAmount, 20_000, 'refunded by the policy the booking was made under')
})

t.test('members do not book their own organization’s listings (issue 13 item 5)', async (t) => {
  const h = await testApp(t, { now: NOW })
  const listing = makeListing()
  await h.publish(listing)
  const window = { listingId: listing.id, start: '2026-12-02T10:00', end: '2026-12-02T11:00' }
  const member = await tokenFor({ roles: { [listing.organizationId]: 'member' } })
  const forItself = await book(h.app, member, { ...window, organizationId: listing.organizationId })
  t.equal(forItself.statusCode, 403, forItself.body)
  t.equal(forItself.json().code, 'self_booking')
  // Nor for another group they belong to: the same people would rate their own listing.
  const otherGroup = randomUUID()
  const both = await tokenFor({ roles: { [listing.organizationId]: 'member', [otherGroup]: 'admin' } })
  const forOther = await book(h.app, both, { ...window, organizationId: otherGroup })
  t.equal(forOther.statusCode, 403, forOther.body)
  t.equal(forOther.json().code, 'self_booking')
  const count = await h.app.bookings.deps.db
    .selectFrom('bookings')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('listingId', '=', listing.id)
    .executeTakeFirstOrThrow()
  t.equal(Number(count.n), 0, 'nothing was booked')
})

t.test('a member of the rated organization does not rate it, even for another group (issue 13 item 5)', async (t) => {
  const h = await testApp(t, { now: NOW })
  const { listing, p, booking } = await bookedListing(t, h, { start: '2026-12-03T10:00', end: '2026-12-03T11:00' })
  await act(h.app, p.provider.token, booking.id, 'accept')
  h.clock.set(new Date(Date.parse(booking.end) + HOUR))
  t.equal((await act(h.app, p.provider.token, booking.id, 'complete')).statusCode, 200)
  // The booking member joined the provider's organization meanwhile (the token carries both roles).
  const joined = await tokenFor({
    userId: p.requester.userId,
    roles: { [p.requesterOrg]: 'member', [listing.organizationId]: 'member' },
  })
  const rated = await h.app.inject({
    method: 'POST',
    url: `/v1/bookings/${booking.id}/ratings`,
    headers: bearer(joined),
    payload: { score: 5 },
  })
  t.equal(rated.statusCode, 403, rated.body)
  t.equal(rated.json().code, 'self_rating')
})

t.test('upcoming bookings are capped per member and per organization and listing (issue 13 item 6)', async (t) => {
  const h = await testApp(t, {
    now: NOW,
    env: { BOOKING_LIMIT_PER_MEMBER: '5', BOOKING_LIMIT_PER_ORGANIZATION_LISTING: '3' },
  })
  const quarterHours = { rules: { slotMinutes: 15, minDurationMinutes: 15 } }
  const listing = makeListing(quarterHours)
  const other = makeListing(quarterHours)
  await h.publish(listing)
  await h.publish(other)
  const p = await parties(listing)
  const slot = (l: typeof listing, i: number) => ({
    listingId: l.id,
    organizationId: p.requesterOrg,
    start: `2026-12-04T${String(9 + i).padStart(2, '0')}:00`,
    end: `2026-12-04T${String(9 + i).padStart(2, '0')}:15`,
  })
  // A burst at once, as the hoarder sent it: the cap holds under concurrency too.
  const burst = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => book(h.app, p.requester.token, slot(listing, i))))
  const codes = burst.map((r) => r.statusCode).sort()
  t.same(codes, [201, 201, 201, 409, 409, 409], burst.map((r) => r.body).join('\n'))
  const refused = burst.find((r) => r.statusCode === 409)!
  t.match(refused.json(), { code: 'booking_limit_reached', scope: 'organization_listing', limit: 3 })
  // A cap refuses inside the one statement that writes the booking with its timer job and its event
  // (issue 17): a refused creation leaves neither behind.
  const { rows: strays } = await sql<{ jobs: number; events: number }>`
    select (select count(*)::int from ${sql.id(JOBS_SCHEMA, '_private_jobs')} j
             where not exists (select 1 from bookings b where b.id::text = j.payload->>'bookingId')) as jobs,
           (select count(*)::int from events e
             where not exists (select 1 from bookings b where b.id::text = e.entity_id)) as events`.execute(
    h.app.bookings.deps.db,
  )
  t.same(strays, [{ jobs: 0, events: 0 }], 'no timer or event of a refused creation')
  t.equal(
    Number(
      (
        await sql<{ n: string }>`select count(*) as n from ${sql.id(JOBS_SCHEMA, '_private_jobs')}`.execute(
          h.app.bookings.deps.db,
        )
      ).rows[0]?.n,
    ),
    3,
    'one timer per created booking',
  )

  // Another listing: the member's own cap (5) is met after two more.
  for (const i of [0, 1]) t.equal((await book(h.app, p.requester.token, slot(other, i))).statusCode, 201)
  const sixth = await book(h.app, p.requester.token, slot(other, 2))
  t.equal(sixth.statusCode, 409, sixth.body)
  t.match(sixth.json(), { code: 'booking_limit_reached', scope: 'member', limit: 5 })

  // A cancelled booking frees its place; one that has started no longer counts.
  const mine = burst.filter((r) => r.statusCode === 201).map((r) => r.json())
  t.equal((await act(h.app, p.requester.token, mine[0].id, 'cancel')).statusCode, 200)
  t.equal((await book(h.app, p.requester.token, slot(other, 3))).statusCode, 201)
  h.clock.set('2026-12-04T06:00:00Z')
  t.equal(
    (await book(h.app, p.requester.token, { ...slot(other, 0), start: '2026-12-06T10:00', end: '2026-12-06T11:00' }))
      .statusCode,
    201,
  )
})

t.test(
  'a completed booking rated by the requester cannot be turned into a no-show by the provider (issue 13 item 7)',
  async (t) => {
    const h = await testApp(t, { now: NOW })
    const listing = makeListing()
    await h.publish(listing)
    const p = await parties(listing)
    const res = await book(h.app, p.requester.token, {
      listingId: listing.id,
      organizationId: p.requesterOrg,
      start: '2026-12-07T10:00',
      end: '2026-12-07T11:00',
    })
    const booking = res.json()
    await act(h.app, p.provider.token, booking.id, 'accept')
    h.clock.set(new Date(Date.parse(booking.end) + HOUR))
    t.equal((await act(h.app, p.provider.token, booking.id, 'complete')).statusCode, 200)
    await h.app.ratings.syncCompletions()
    const rated = await h.app.inject({
      method: 'POST',
      url: `/v1/bookings/${booking.id}/ratings`,
      headers: bearer(p.requester.token),
      payload: { score: 1, comment: '场地与描述不符' },
    })
    t.equal(rated.statusCode, 201, rated.body)

    const noShow = await act(h.app, p.provider.token, booking.id, 'no-show')
    t.equal(noShow.statusCode, 409, noShow.body)
    t.equal(noShow.json().code, 'invalid_transition')
    await h.app.ratings.syncCompletions()
    const window = await h.app.bookings.deps.db
      .selectFrom('ratingWindows')
      .select(['voidedAt'])
      .where('bookingId', '=', booking.id)
      .executeTakeFirstOrThrow()
    t.equal(window.voidedAt, null, 'the window with the rating in it stays open')
    const got = await h.app.inject({
      method: 'GET',
      url: `/v1/bookings/${booking.id}`,
      headers: bearer(p.requester.token),
    })
    t.equal(got.json().status, 'completed', 'no no-show strike against the group')
  },
)

t.test(
  'a group takes volunteer time only down to its overdraft, so it cannot mint credits (issue 13 item 14)',
  async (t) => {
    const h = await testApp(t, { now: NOW, env: { TIME_CREDIT_OVERDRAFT_HOURS: '3' } })
    const base = makeListing()
    const { capacity: _c, amenities: _a, ...rest } = base as Listing & { capacity?: number; amenities?: unknown }
    const volunteer = Listing.parse({ ...rest, kind: 'volunteer_time', title: '志愿讲解服务', skills: ['讲解'] })
    await h.publish(volunteer)
    const p = await parties(volunteer)
    const take = (day: string, hours: number) =>
      book(h.app, p.requester.token, {
        listingId: volunteer.id,
        organizationId: p.requesterOrg,
        start: `2026-12-${day}T10:00`,
        end: `2026-12-${day}T${String(10 + hours).padStart(2, '0')}:00`,
      })
    const first = await take('08', 2)
    t.equal(first.statusCode, 201, first.body)
    const second = await take('09', 2)
    t.equal(second.statusCode, 409, second.body)
    t.match(second.json(), { code: 'time_credits_exhausted', balanceHours: 0, bookedHours: 2, overdraftHours: 3 })
    t.equal((await take('09', 1)).statusCode, 201, 'what is left of the overdraft can still be taken')

    // Received hours stay counted once completed (the balance then holds them); a cancellation frees them.
    const b = first.json()
    await act(h.app, p.provider.token, b.id, 'accept')
    h.clock.set(new Date(Date.parse(b.end) + HOUR))
    t.equal((await act(h.app, p.provider.token, b.id, 'complete')).statusCode, 200)
    await h.app.ratings.syncCompletions()
    const credits = await h.app.inject({ method: 'GET', url: `/v1/time-credits/organizations/${p.requesterOrg}` })
    t.equal(credits.json().balanceHours, -2)
    t.equal((await take('12', 1)).statusCode, 409, 'the completed hours count against the overdraft')
  },
)
