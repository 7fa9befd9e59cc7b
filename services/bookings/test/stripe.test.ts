import type { Pricing } from '@commons/contracts'
import t from 'tap'
import { act, bearer, book, testApp } from './helpers.ts'
import { paidBookingApp, STRIPE_NOW, signer, WEBHOOK_SECRET } from './stripe-support.ts'

const NOW = STRIPE_NOW

t.test('stripe: a paid booking from authorisation to refund', async (t) => {
  const { server, h, p, newBooking, deliver, intentsOf, get } = await paidBookingApp(t)
  const res = await newBooking()
  t.equal(res.statusCode, 201, res.body)
  const booking = res.json()
  t.equal(booking.status, 'pending_payment')
  t.equal(booking.paymentStatus, 'authorizing')
  const intents = intentsOf(booking.id)
  t.same(intents.map((i) => [i.metadata.purpose, i.amount, i.capture_method, i.currency]).sort(), [
    ['charge', 20_000, 'manual', 'cny'],
    ['deposit', 50_000, 'manual', 'cny'],
  ])
  for (const intent of intents) {
    const answer = await deliver(server.authorize(intent.id))
    t.equal(answer.statusCode, 200, answer.body)
  }
  t.match(await get(booking.id), { status: 'requested', paymentStatus: 'authorized' })

  const accepted = await act(h.app, p.provider.token, booking.id, 'accept')
  t.equal(accepted.json().status, 'confirmed')
  t.equal(accepted.json().paymentStatus, 'paid')
  // Stripe is called by the payment-steps job, after the accept committed.
  await h.app.bookings.runDueJobs()
  const charge = intents.find((i) => i.metadata.purpose === 'charge')!
  const deposit = intents.find((i) => i.metadata.purpose === 'deposit')!
  t.equal(server.intents.get(charge.id)?.status, 'succeeded', 'the charge is captured on confirm')
  t.equal(server.intents.get(deposit.id)?.status, 'requires_capture', 'the deposit stays authorised')

  // Moderate policy, 48 h before the start: half the price back, the deposit released.
  h.clock.set(new Date(Date.parse(booking.start) - 48 * 3600_000))
  const cancelled = await act(h.app, p.requester.token, booking.id, 'cancel')
  t.equal(cancelled.json().status, 'cancelled')
  t.equal(cancelled.json().refundedAmount, 10_000)
  await h.app.bookings.runDueJobs()
  t.same(
    [...server.refunds.values()].map((r) => [r.payment_intent, r.amount]),
    [[charge.id, 10_000]],
  )
  t.equal(server.intents.get(deposit.id)?.status, 'canceled')
  const keys = server.requests.filter((r) => r.method === 'POST').map((r) => r.idempotencyKey)
  t.ok(
    keys.every((k) => k?.startsWith(`booking-${booking.id}-`)),
    'every Stripe call carries an idempotency key',
  )
})

t.test('stripe: failures', async (t) => {
  const { server, h, p, listing, newBooking, deliver, intentsOf, get } = await paidBookingApp(t)

  t.test('Stripe refusing the PaymentIntent answers 502 and stores no booking', async (t) => {
    server.trapNext({
      method: 'POST',
      path: /^\/v1\/payment_intents$/,
      error: { status: 402, type: 'card_error', code: 'card_declined', message: 'Your card was declined.' },
    })
    const res = await newBooking()
    t.equal(res.statusCode, 502)
    t.equal(res.json().code, 'payment_provider_error')
    const rows = await h.app.bookings.deps.db.selectFrom('bookings').select('id').execute()
    t.equal(rows.length, 0)
  })

  t.test(
    'a failed card leaves the booking waiting; the hold expires after 15 minutes and frees the slot',
    async (t) => {
      const res = await newBooking()
      const booking = res.json()
      const charge = intentsOf(booking.id).find((i) => i.metadata.purpose === 'charge')!
      await deliver(server.decline(charge.id))
      t.match(await get(booking.id), { status: 'pending_payment', paymentStatus: 'failed' })
      h.clock.advance(15 * 60_000)
      // The hold's expiry, then the payment-steps job it enqueued to release the authorisations.
      t.equal(await h.app.bookings.runDueJobs(), 2)
      t.match(await get(booking.id), { status: 'payment_expired', paymentStatus: 'released' })
      t.ok(
        intentsOf(booking.id).every((i) => i.status === 'canceled'),
        'the authorisations are cancelled',
      )
      const again = await book(h.app, p.requester.token, {
        listingId: listing.id,
        organizationId: p.requesterOrg,
        start: booking.start,
        end: booking.end,
      })
      t.equal(again.statusCode, 201)
      h.clock.set(NOW)
    },
  )

  t.test('a declined request cancels the authorisations', async (t) => {
    const booking = (await newBooking()).json()
    for (const intent of intentsOf(booking.id)) await deliver(server.authorize(intent.id))
    const res = await act(h.app, p.provider.token, booking.id, 'decline')
    t.equal(res.json().status, 'declined')
    await h.app.bookings.runDueJobs()
    t.ok(intentsOf(booking.id).every((i) => i.status === 'canceled'))
  })
})

t.test('stripe: a timed-out call is retried with its idempotency key and creates one PaymentIntent', async (t) => {
  const fee: Pricing = { model: 'fee', unit: 'booking', price: { amount: 8_000, currency: 'CNY' } }
  const { server, newBooking, intentsOf } = await paidBookingApp(t, { STRIPE_TIMEOUT_MS: '300' }, fee)
  server.trapNext({ method: 'POST', path: /^\/v1\/payment_intents$/, delayMs: 1500 })
  const res = await newBooking()
  t.equal(res.statusCode, 201, res.body)
  const creates = server.requests.filter((r) => r.method === 'POST' && r.path === '/v1/payment_intents')
  t.ok(creates.length >= 2, 'the SDK retried after the timeout')
  t.equal(new Set(creates.map((r) => r.idempotencyKey)).size, 1, 'with the same idempotency key')
  t.equal(intentsOf(res.json().id).length, 1, 'exactly one PaymentIntent')
  t.equal(server.intents.size, 1)
})

t.test('stripe webhooks', async (t) => {
  const { server, h, p, newBooking, deliver, intentsOf, get } = await paidBookingApp(t)

  t.test('a bad signature is 400', async (t) => {
    const booking = (await newBooking()).json()
    const event = server.authorize(intentsOf(booking.id)[0]!.id)
    const forged = await deliver(
      event,
      signer.webhooks.generateTestHeaderString({ payload: JSON.stringify(event), secret: 'whsec_wrong_secret' }),
    )
    t.equal(forged.statusCode, 400)
    t.equal(forged.json().code, 'invalid_signature')
    const tampered = await deliver(
      JSON.stringify({ ...event, type: 'payment_intent.succeeded' }),
      signer.webhooks.generateTestHeaderString({ payload: JSON.stringify(event), secret: WEBHOOK_SECRET }),
    )
    t.equal(tampered.statusCode, 400)
    t.equal((await get(booking.id)).status, 'pending_payment')
  })

  t.test('a duplicate event is applied once', async (t) => {
    const booking = (await newBooking()).json()
    const [charge, deposit] = intentsOf(booking.id)
    await deliver(server.authorize(charge!.id))
    const event = server.authorize(deposit!.id)
    const first = await deliver(event)
    const second = await deliver(event)
    t.equal(first.json().outcome, 'applied')
    t.equal(second.json().outcome, 'duplicate')
    const paid = await h.app.bookings.deps.db
      .selectFrom('bookingAudit')
      .select('id')
      .where('bookingId', '=', booking.id)
      .where('action', '=', 'paid')
      .execute()
    t.equal(paid.length, 1)
    t.equal((await get(booking.id)).status, 'requested')
  })

  t.test('events arriving out of order never move a booking or payment backwards', async (t) => {
    const booking = (await newBooking()).json()
    const intents = intentsOf(booking.id)
    const stale = intents.map((i) => server.authorize(i.id))
    for (const e of stale) await deliver(e)
    await act(h.app, p.provider.token, booking.id, 'accept')
    const charge = intents.find((i) => i.metadata.purpose === 'charge')!
    await deliver(server.eventFor('payment_intent.succeeded', charge.id))
    // Late deliveries of older news: authorised again (with a new event id), and a failure.
    const late = await deliver({ ...stale[0]!, id: `${stale[0]!.id}_retry` })
    t.equal(late.json().outcome, 'ignored')
    const failed = await deliver(server.eventFor('payment_intent.payment_failed', charge.id))
    t.equal(failed.json().outcome, 'ignored')
    t.match(await get(booking.id), { status: 'confirmed', paymentStatus: 'paid' })
    const row = await h.app.bookings.deps.db
      .selectFrom('payments')
      .select('status')
      .where('externalId', '=', charge.id)
      .executeTakeFirstOrThrow()
    t.equal(row.status, 'captured')
  })

  // 503 like the payment session's answer: one status per problem code (it was 404 here).
  t.test('without Stripe configured the route is 503 stripe_not_configured', async (t) => {
    const plain = await testApp(t, { now: NOW })
    const res = await plain.app.inject({
      method: 'POST',
      url: '/v1/webhooks/stripe',
      headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=x' },
      payload: '{}',
    })
    t.equal(res.statusCode, 503)
    t.equal(res.json().code, 'stripe_not_configured')
  })
})

t.test('stripe: the deposit is kept for reported damage, or released when the 48 h window closes', async (t) => {
  const { server, h, p, newBooking, deliver, intentsOf, get } = await paidBookingApp(t)
  const confirmed = async () => {
    const booking = (await newBooking()).json()
    for (const intent of intentsOf(booking.id)) await deliver(server.authorize(intent.id))
    await act(h.app, p.provider.token, booking.id, 'accept')
    return booking
  }
  const depositOf = (id: string) => intentsOf(id).find((i) => i.metadata.purpose === 'deposit')!
  const a = await confirmed()
  const b = await confirmed()

  h.clock.set(new Date(Date.parse(a.end) + 25 * 3600_000))
  await h.app.bookings.runDueJobs()
  t.equal((await get(a.id)).status, 'completed', 'auto-completed 24 h after the end')
  t.equal(depositOf(a.id).status, 'requires_capture', 'the deposit is still held during the damage window')

  const report = (id: string, amount: number) =>
    h.app.inject({
      method: 'POST',
      url: `/v1/bookings/${id}/damage`,
      headers: bearer(p.provider.token),
      payload: { amount, reason: '投影仪损坏' },
    })
  t.equal((await report(a.id, 60_000)).json().code, 'amount_exceeds_deposit')
  const kept = await report(a.id, 30_000)
  t.equal(kept.statusCode, 200, kept.body)
  t.equal(kept.json().depositRetained, 30_000)
  await h.app.bookings.runDueJobs()
  t.match(depositOf(a.id), { status: 'succeeded', amount_received: 30_000 })
  t.equal((await report(a.id, 1_000)).json().code, 'no_deposit_held')

  h.clock.set(new Date(Date.parse(b.end) + 48 * 3600_000))
  await h.app.bookings.runDueJobs()
  t.equal(depositOf(b.id).status, 'canceled', 'released when nobody reported damage')
  t.equal(depositOf(a.id).status, 'succeeded')
  h.clock.set(new Date(Date.parse(b.end) + 49 * 3600_000))
  t.equal((await report(b.id, 1_000)).json().code, 'damage_window_closed')
})
