import type { Pricing } from '@commons/contracts'
import t from 'tap'
import { act, bearer, book, feedEventsOf, makeListing, parties, testApp } from './helpers.ts'

const NOW = '2026-11-21T00:00:00Z'
const HOUR = 3600_000

async function setup(t: Parameters<typeof testApp>[0], over: Parameters<typeof makeListing>[0] = {}) {
  const h = await testApp(t, { now: NOW })
  const listing = makeListing(over)
  await h.publish(listing)
  const p = await parties(listing)
  let day = 0
  /** Books one hour on a fresh day (10:00-11:00 Shanghai) and returns the booking. */
  const newBooking = async (start = `2026-12-${String(++day).padStart(2, '0')}T10:00`) => {
    const end = start.replace('T10:00', 'T11:00')
    const res = await book(h.app, p.requester.token, {
      listingId: listing.id,
      organizationId: p.requesterOrg,
      start,
      end,
    })
    if (res.statusCode !== 201) throw new Error(res.body)
    return res.json() as { id: string; status: string; start: string; end: string }
  }
  return { h, listing, p, newBooking }
}

t.test('transitions', async (t) => {
  const { h, listing, p, newBooking } = await setup(t)

  t.test('the provider accepts a request; the requester may not', async (t) => {
    const b = await newBooking()
    const denied = await act(h.app, p.requester.token, b.id, 'accept')
    t.equal(denied.statusCode, 403)
    const res = await act(h.app, p.provider.token, b.id, 'accept')
    t.equal(res.statusCode, 200)
    t.equal(res.json().status, 'confirmed')
    t.equal(res.json().version, 2)
    const twice = await act(h.app, p.provider.token, b.id, 'accept')
    t.equal(twice.statusCode, 409)
    t.equal(twice.json().code, 'invalid_transition')
  })

  t.test('a member of the provider organization who is not an admin may not accept', async (t) => {
    const b = await newBooking()
    const { tokenFor } = await import('./helpers.ts')
    const member = await tokenFor({ roles: { [listing.organizationId]: 'member' } })
    const res = await act(h.app, member, b.id, 'accept')
    t.equal(res.statusCode, 403)
  })

  t.test('a declined request frees its slot', async (t) => {
    const b = await newBooking()
    const res = await act(h.app, p.provider.token, b.id, 'decline', '那天有别的活动')
    t.equal(res.json().status, 'declined')
    t.equal(res.json().reason, '那天有别的活动')
    const again = await book(h.app, p.requester.token, {
      listingId: listing.id,
      organizationId: p.requesterOrg,
      start: b.start,
      end: b.end,
    })
    t.equal(again.statusCode, 201, again.body)
  })

  t.test('the requester cancels a request; the provider cancels a confirmed booking', async (t) => {
    const a = await newBooking()
    t.equal((await act(h.app, p.requester.token, a.id, 'cancel')).json().status, 'cancelled')
    const b = await newBooking()
    await act(h.app, p.provider.token, b.id, 'accept')
    t.equal((await act(h.app, p.provider.token, b.id, 'cancel')).json().status, 'cancelled')
    const c = await act(h.app, p.provider.token, b.id, 'cancel')
    t.equal(c.statusCode, 409)
  })

  t.test('complete and no-show only after the start; no-show within 48 h of the end', async (t) => {
    const a = await newBooking()
    await act(h.app, p.provider.token, a.id, 'accept')
    const early = await act(h.app, p.provider.token, a.id, 'complete')
    t.equal(early.statusCode, 409)
    h.clock.set(new Date(Date.parse(a.start) + HOUR / 2))
    const done = await act(h.app, p.provider.token, a.id, 'complete')
    t.equal(done.json().status, 'completed')

    h.clock.set(NOW)
    const b = await newBooking()
    await act(h.app, p.provider.token, b.id, 'accept')
    h.clock.set(new Date(Date.parse(b.end) + 49 * HOUR))
    const late = await act(h.app, p.provider.token, b.id, 'no-show')
    t.equal(late.statusCode, 409)
    h.clock.set(new Date(Date.parse(b.end) + 47 * HOUR))
    const noShow = await act(h.app, p.provider.token, b.id, 'no-show')
    t.equal(noShow.json().status, 'no_show')
    h.clock.set(NOW)
  })

  t.test('after the auto-completion a no-show is a dispute: the provider is refused, a moderator rules', async (t) => {
    const b = await newBooking()
    await act(h.app, p.provider.token, b.id, 'accept')
    h.clock.set(new Date(Date.parse(b.end) + 30 * HOUR))
    await h.app.bookings.runDueJobs()
    const refused = await act(h.app, p.provider.token, b.id, 'no-show')
    t.equal(refused.statusCode, 409, refused.body)
    t.match(refused.json(), { code: 'invalid_transition', detail: /dispute/ })
    const res = await act(h.app, p.moderator.token, b.id, 'no-show', '核实未到场')
    t.equal(res.statusCode, 200, res.body)
    t.equal(res.json().status, 'no_show')
    h.clock.set(NOW)
  })

  t.test('a moderator may perform any transition, and the override is audited', async (t) => {
    const b = await newBooking()
    const res = await act(h.app, p.moderator.token, b.id, 'accept', '运营协助确认')
    t.equal(res.statusCode, 200)
    t.equal(res.json().status, 'confirmed')
    const entry = await h.app.bookings.deps.db
      .selectFrom('bookingAudit')
      .selectAll()
      .where('bookingId', '=', b.id)
      .where('action', '=', 'accept')
      .executeTakeFirstOrThrow()
    t.equal(entry.moderatorOverride, true)
    t.equal(entry.fromStatus, 'requested')
    t.equal(entry.toStatus, 'confirmed')
    t.equal(entry.reason, '运营协助确认')
  })

  t.test('someone unrelated gets 404', async (t) => {
    const b = await newBooking()
    const res = await act(h.app, p.stranger.token, b.id, 'cancel')
    t.equal(res.statusCode, 404)
  })

  t.test('every transition appends a booking.changed event with the new version', async (t) => {
    const b = await newBooking()
    await act(h.app, p.provider.token, b.id, 'accept')
    await act(h.app, p.requester.token, b.id, 'cancel')
    const ours = await feedEventsOf(h.app, b.id, 3)
    t.same(
      ours.map((e) => [e.version, e.payload.booking.status, e.payload.booking.holdsSlot]),
      [
        [1, 'requested', true],
        [2, 'confirmed', true],
        [3, 'cancelled', false],
      ],
    )
  })
})

t.test('timers', async (t) => {
  const { h, p, listing, newBooking } = await setup(t)

  t.test('an unanswered request expires after 48 hours and frees its slot', async (t) => {
    const b = await newBooking('2026-12-20T10:00')
    h.clock.advance(47 * HOUR)
    t.equal(await h.app.bookings.runDueJobs(), 0, 'not yet due')
    h.clock.advance(2 * HOUR)
    t.equal(await h.app.bookings.runDueJobs(), 1)
    const got = await h.app.inject({ method: 'GET', url: `/v1/bookings/${b.id}`, headers: bearer(p.requester.token) })
    t.equal(got.json().status, 'expired')
    const again = await book(h.app, p.requester.token, {
      listingId: listing.id,
      organizationId: p.requesterOrg,
      start: b.start,
      end: b.end,
    })
    t.equal(again.statusCode, 201)
    h.clock.set(NOW)
  })

  t.test('a request for a start sooner than 49 h expires 1 hour before the start', async (t) => {
    // Start 2026-11-22T10:00+08:00 = 26 h after NOW: expiry at 25 h.
    const b = await newBooking('2026-11-22T10:00')
    h.clock.advance(24 * HOUR)
    t.equal(await h.app.bookings.runDueJobs(), 0)
    h.clock.advance(HOUR)
    t.equal(await h.app.bookings.runDueJobs(), 1)
    const got = await h.app.inject({ method: 'GET', url: `/v1/bookings/${b.id}`, headers: bearer(p.requester.token) })
    t.equal(got.json().status, 'expired')
    h.clock.set(NOW)
  })

  t.test('a confirmed booking completes 24 hours after its end; accepting cancelled the expiry timer', async (t) => {
    const b = await newBooking('2026-12-25T10:00')
    await act(h.app, p.provider.token, b.id, 'accept')
    const status = async () =>
      (await h.app.inject({ method: 'GET', url: `/v1/bookings/${b.id}`, headers: bearer(p.requester.token) })).json()
        .status
    h.clock.set(new Date(Date.parse(b.end) + 23 * HOUR))
    await h.app.bookings.runDueJobs()
    t.equal(await status(), 'confirmed', 'the request expiry was dropped on accept, completion not yet due')
    h.clock.set(new Date(Date.parse(b.end) + 24 * HOUR))
    t.ok((await h.app.bookings.runDueJobs()) >= 1)
    const got = await h.app.inject({ method: 'GET', url: `/v1/bookings/${b.id}`, headers: bearer(p.requester.token) })
    t.equal(got.json().status, 'completed')
    const entry = await h.app.bookings.deps.db
      .selectFrom('bookingAudit')
      .selectAll()
      .where('bookingId', '=', b.id)
      .where('action', '=', 'auto_complete')
      .executeTakeFirstOrThrow()
    t.equal(entry.actorUserId, null)
    h.clock.set(NOW)
  })

  t.test('timers survive a restart and run once when several replicas poll', async (t) => {
    const bookings = [await newBooking('2026-12-27T10:00'), await newBooking('2026-12-28T10:00')]
    const { buildApp } = await import('../src/app.ts')
    const { parseConfig } = await import('@commons/service-kit')
    const { BookingsConfig } = await import('../src/config.ts')
    const config = parseConfig(BookingsConfig, {
      LOG_LEVEL: 'silent',
      DATABASE_URL: h.databaseUrl,
      SERVICE_TOKEN: 's'.repeat(40),
      RUN_WORKERS: 'false',
    })
    const replicas = await Promise.all([1, 2, 3].map(() => buildApp(config, { clock: h.clock })))
    t.teardown(() => Promise.all(replicas.map((r) => r.close())))
    h.clock.advance(49 * HOUR)
    const ran = await Promise.all(replicas.map((r) => r.bookings.runDueJobs()))
    t.equal(
      ran.reduce((a, b) => a + b, 0),
      2,
    )
    for (const b of bookings) {
      const audits = await h.app.bookings.deps.db
        .selectFrom('bookingAudit')
        .select('action')
        .where('bookingId', '=', b.id)
        .where('action', '=', 'request_expire')
        .execute()
      t.equal(audits.length, 1)
    }
    h.clock.set(NOW)
  })
})

t.test('instant book confirms at once', async (t) => {
  const { newBooking } = await setup(t, { rules: { mode: 'instant' } })
  const b = await newBooking()
  t.equal(b.status, 'confirmed')
})

t.test('offline payments and refunds by policy', async (t) => {
  const pricing: Pricing = {
    model: 'fee',
    unit: 'hour',
    price: { amount: 10_000, currency: 'CNY' },
    deposit: { amount: 50_000, currency: 'CNY' },
  }
  const { h, p, newBooking } = await setup(t, { pricing, rules: { cancellationPolicy: 'moderate' } })
  const pay = (token: string, id: string) =>
    h.app.inject({
      method: 'POST',
      url: `/v1/bookings/${id}/payment`,
      headers: bearer(token),
      payload: { method: 'bank_transfer', reference: 'TX-20261121-01' },
    })

  t.test('a paid booking snapshots its price; the payment is due until the provider records it', async (t) => {
    const b = (await newBooking()) as unknown as { id: string; price: unknown; paymentStatus: string }
    t.same(b.price, {
      model: 'fee',
      unit: 'hour',
      unitAmount: 10_000,
      quantity: 1,
      amount: 10_000,
      deposit: 50_000,
      currency: 'CNY',
    })
    t.equal(b.paymentStatus, 'due')
    t.equal((await pay(p.requester.token, b.id)).statusCode, 403)
    const paid = await pay(p.provider.token, b.id)
    t.equal(paid.statusCode, 200)
    t.equal(paid.json().paymentStatus, 'paid')
    t.equal((await pay(p.provider.token, b.id)).json().code, 'payment_not_due')
  })

  t.test('moderate: cancelling 3 days ahead refunds everything, 2 days ahead half, on the day nothing', async (t) => {
    const cases: Array<[number, number]> = [
      [80, 10_000],
      [48, 5_000],
      [10, 0],
    ]
    for (const [hoursBefore, refund] of cases) {
      const b = await newBooking()
      await pay(p.provider.token, b.id)
      h.clock.set(new Date(Date.parse(b.start) - hoursBefore * HOUR))
      const res = await act(h.app, p.requester.token, b.id, 'cancel')
      t.equal(res.json().status, 'cancelled')
      t.equal(res.json().refundedAmount, refund, `${hoursBefore} h before`)
      h.clock.set(NOW)
    }
  })

  t.test('a cancellation by the provider refunds everything', async (t) => {
    const b = await newBooking()
    await pay(p.provider.token, b.id)
    h.clock.set(new Date(Date.parse(b.start) - 2 * HOUR))
    const res = await act(h.app, p.provider.token, b.id, 'cancel')
    t.equal(res.json().refundedAmount, 10_000)
    t.equal(res.json().paymentStatus, 'refunded')
    h.clock.set(NOW)
  })
})
