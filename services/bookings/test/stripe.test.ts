import type { PaymentSession } from '@commons/contracts'
import { parseConfig } from '@commons/service-kit'
import type { StripeTestServer } from '@commons/testkit'
import t from 'tap'
import { BookingsConfig } from '../src/config.ts'
import { act, bearer, book, makeListing, parties, testApp, tokenFor } from './helpers.ts'
import { PUBLISHABLE_KEY, SECRET_KEY, STRIPE_NOW, signer, stripeApp, WEBHOOK_SECRET } from './stripe-support.ts'

const NOW = STRIPE_NOW

const PRICING = {
  model: 'fee',
  unit: 'booking',
  price: { amount: 20_000, currency: 'CNY' },
  deposit: { amount: 50_000, currency: 'CNY' },
}

async function setup(t: Parameters<typeof testApp>[0], env: Record<string, string> = {}, pricing?: unknown) {
  const { server, h, p, listing, newBooking, deliver, intentsOf } = await stripeApp(t, {
    env: { STRIPE_MAX_RETRIES: '2', ...env },
    pricing: pricing ?? PRICING,
    cancellationPolicy: 'moderate',
  })
  const get = async (id: string) =>
    (await h.app.inject({ method: 'GET', url: `/v1/bookings/${id}`, headers: bearer(p.requester.token) })).json()
  const session = (id: string, token = p.requester.token) =>
    h.app.inject({ method: 'GET', url: `/v1/bookings/${id}/payment-session`, headers: bearer(token) })
  return { server, h, p, listing, newBooking, deliver, intentsOf, get, session }
}

t.test('stripe: a paid booking from authorisation to refund', async (t) => {
  const { server, h, p, newBooking, deliver, intentsOf, get } = await setup(t)
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
  const { server, h, p, listing, newBooking, deliver, intentsOf, get } = await setup(t)

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
  const free = { model: 'fee', unit: 'booking', price: { amount: 8_000, currency: 'CNY' } }
  const { server, newBooking, intentsOf } = await setup(t, { STRIPE_TIMEOUT_MS: '300' }, free)
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
  const { server, h, p, newBooking, deliver, intentsOf, get } = await setup(t)

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
  const { server, h, p, newBooking, deliver, intentsOf, get } = await setup(t)
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

t.test('config: Stripe needs the publishable key too, of the same mode as the secret key', async (t) => {
  const env = {
    DATABASE_URL: 'postgres://bookings@127.0.0.1:1/none',
    SERVICE_TOKEN: 's'.repeat(40),
    STRIPE_SECRET_KEY: SECRET_KEY,
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  }
  t.throws(() => parseConfig(BookingsConfig, env), {
    message: /STRIPE_PUBLISHABLE_KEY: required when STRIPE_SECRET_KEY is set/,
  })
  t.throws(() => parseConfig(BookingsConfig, { ...env, STRIPE_PUBLISHABLE_KEY: 'pk_live_commons' }), {
    message: /STRIPE_PUBLISHABLE_KEY: must be a test key with a test secret key/,
  })
  t.throws(() => parseConfig(BookingsConfig, { ...env, STRIPE_PUBLISHABLE_KEY: SECRET_KEY }), {
    message: /STRIPE_PUBLISHABLE_KEY/,
  })
  t.equal(
    parseConfig(BookingsConfig, { ...env, STRIPE_PUBLISHABLE_KEY: PUBLISHABLE_KEY }).STRIPE_PUBLISHABLE_KEY,
    PUBLISHABLE_KEY,
  )
})

/** Confirms a PaymentIntent as Stripe.js does from the payer's browser: publishable key and client secret. */
function confirmInBrowser(
  server: StripeTestServer,
  clientSecret: string,
  paymentMethod: string,
  intentId = clientSecret.split('_secret_')[0],
) {
  return fetch(`${server.url}/v1/payment_intents/${intentId}/confirm`, {
    method: 'POST',
    headers: { authorization: `Bearer ${PUBLISHABLE_KEY}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_secret: clientSecret, payment_method: paymentMethod }),
  })
}

t.test('payment session', async (t) => {
  const { server, h, p, newBooking, deliver, intentsOf, session } = await setup(t)
  const intent = (bookingId: string, purpose: string) =>
    intentsOf(bookingId).find((i) => i.metadata.purpose === purpose)!

  t.test(
    "a member of the requesting organization gets the publishable key and each part's client secret",
    async (t) => {
      const booking = (await newBooking()).json()
      const res = await session(booking.id)
      t.equal(res.statusCode, 200, res.body)
      t.equal(res.headers['cache-control'], 'no-store')
      t.same(res.json(), {
        provider: 'stripe',
        publishableKey: PUBLISHABLE_KEY,
        parts: [
          {
            purpose: 'charge',
            amount: 20_000,
            currency: 'CNY',
            status: 'authorizing',
            clientSecret: intent(booking.id, 'charge').client_secret,
          },
          {
            purpose: 'deposit',
            amount: 50_000,
            currency: 'CNY',
            status: 'authorizing',
            clientSecret: intent(booking.id, 'deposit').client_secret,
          },
        ],
      })
      const colleague = await tokenFor({ roles: { [p.requesterOrg]: 'member' } })
      t.equal((await session(booking.id, colleague)).statusCode, 200, 'any member of the organization may pay')
      const rows = await h.app.bookings.deps.db.selectFrom('payments').selectAll().execute()
      t.notOk(JSON.stringify(rows).includes('_secret_'), 'client secrets are not stored')
    },
  )

  t.test('another organization gets 404 as for the booking itself; the provider 403', async (t) => {
    const booking = (await newBooking()).json()
    const stranger = await session(booking.id, p.stranger.token)
    t.equal(stranger.statusCode, 404)
    t.equal(stranger.json().code, 'booking_not_found')
    const provider = await session(booking.id, p.provider.token)
    t.equal(provider.statusCode, 403)
    t.equal(provider.json().code, 'not_a_member')
  })

  t.test('parts report what Stripe says now, ahead of the webhooks', async (t) => {
    const booking = (await newBooking()).json()
    server.decline(intent(booking.id, 'charge').id)
    server.authorize(intent(booking.id, 'deposit').id)
    const parts = (await session(booking.id)).json().parts as PaymentSession['parts']
    t.same(
      parts.map((part) => [part.purpose, part.status]),
      [
        ['charge', 'failed'],
        ['deposit', 'authorized'],
      ],
    )
  })

  t.test('a booking that waits for no payment answers 409 payment_not_pending', async (t) => {
    const booking = (await newBooking()).json()
    for (const i of intentsOf(booking.id)) await deliver(server.authorize(i.id))
    t.equal((await act(h.app, p.provider.token, booking.id, 'accept')).json().status, 'confirmed')
    const res = await session(booking.id)
    t.equal(res.statusCode, 409)
    t.equal(res.json().code, 'payment_not_pending')
  })

  // 409 like the per-booking refusal of the same code (the route answered 400 before the service did).
  t.test('recording an offline payment where payments are taken online is 409 payment_not_offline', async (t) => {
    const booking = (await newBooking()).json()
    const res = await h.app.inject({
      method: 'POST',
      url: `/v1/bookings/${booking.id}/payment`,
      headers: bearer(p.provider.token),
      payload: { method: 'bank_transfer', reference: 'X-1' },
    })
    t.equal(res.statusCode, 409, res.body)
    t.equal(res.json().code, 'payment_not_offline')
  })

  t.test('a booking paid offline answers 409 payment_not_online', async (t) => {
    const offline = await testApp(t, { now: NOW })
    const listing = makeListing({ pricing: PRICING })
    await offline.publish(listing)
    const q = await parties(listing)
    const created = await book(offline.app, q.requester.token, {
      listingId: listing.id,
      organizationId: q.requesterOrg,
      start: '2026-12-01T10:00',
      end: '2026-12-01T11:00',
    })
    t.equal(created.json().paymentStatus, 'due')
    const res = await offline.app.inject({
      method: 'GET',
      url: `/v1/bookings/${created.json().id}/payment-session`,
      headers: bearer(q.requester.token),
    })
    t.equal(res.statusCode, 409)
    t.equal(res.json().code, 'payment_not_online')
  })
})

t.test('paying from the browser: confirmations at Stripe reach the booking as signed webhooks', async (t) => {
  const { server, h, p, listing, newBooking, get, session, intentsOf } = await setup(t)
  // Stripe calls the service over the network, so this app listens like a deployed one.
  const origin = await h.app.listen({ port: 0, host: '127.0.0.1' })
  server.deliverWebhooks({ url: `${origin}/v1/webhooks/stripe`, secret: WEBHOOK_SECRET, retryDelayMs: 20 })
  const paymentRows = (bookingId: string) =>
    h.app.bookings.deps.db
      .selectFrom('payments')
      .select(['purpose', 'status'])
      .where('bookingId', '=', bookingId)
      .orderBy('purpose')
      .execute()
  /** What the payer's browser does: read the session, confirm every part with Stripe.js. */
  const pay = async (bookingId: string, cards: Partial<Record<'charge' | 'deposit', string>> = {}) => {
    const { parts } = (await session(bookingId)).json() as PaymentSession
    const answers: Response[] = []
    for (const part of parts)
      answers.push(await confirmInBrowser(server, part.clientSecret, cards[part.purpose] ?? 'pm_card_visa'))
    await server.webhooksDelivered()
    return answers
  }

  t.test('a listing that takes requests: both parts authorised, the booking is requested', async (t) => {
    const booking = (await newBooking()).json()
    const answers = await pay(booking.id)
    t.same(
      answers.map((a) => a.status),
      [200, 200],
    )
    t.match(await get(booking.id), { status: 'requested', paymentStatus: 'authorized' })
    t.same(await paymentRows(booking.id), [
      { purpose: 'charge', status: 'authorized' },
      { purpose: 'deposit', status: 'authorized' },
    ])
    const mine = server.deliveries.filter((d) => d.event.data.object.metadata.booking_id === booking.id)
    t.same(
      mine.map((d) => [d.event.type, d.attempts]),
      [
        ['payment_intent.amount_capturable_updated', [200]],
        ['payment_intent.amount_capturable_updated', [200]],
      ],
      'the service took each signed event at the first attempt',
    )
    t.equal((await session(booking.id)).json().code, 'payment_not_pending')
  })

  t.test('an instant-book listing: confirmed as soon as both parts are authorised, the charge captured', async (t) => {
    const instant = makeListing({
      organizationId: listing.organizationId,
      pricing: PRICING,
      rules: { mode: 'instant' },
    })
    await h.publish(instant)
    const created = await book(h.app, p.requester.token, {
      listingId: instant.id,
      organizationId: p.requesterOrg,
      start: '2026-12-20T10:00',
      end: '2026-12-20T11:00',
    })
    const booking = created.json()
    t.equal(booking.status, 'pending_payment', created.body)
    await pay(booking.id)
    t.match(await get(booking.id), { status: 'confirmed', paymentStatus: 'paid' })
    // The payment-steps job captures after the confirmation committed; the capture's own `succeeded` event
    // comes back through the webhook too.
    await h.app.bookings.runDueJobs()
    await server.webhooksDelivered()
    t.same(await paymentRows(booking.id), [
      { purpose: 'charge', status: 'captured' },
      { purpose: 'deposit', status: 'authorized' },
    ])
  })

  t.test('a declined card leaves the booking waiting, marked failed, until another card pays', async (t) => {
    const booking = (await newBooking()).json()
    const [charge, deposit] = await pay(booking.id, { charge: 'pm_card_chargeDeclined' })
    t.equal(charge!.status, 402)
    t.match(await charge!.json(), { error: { type: 'card_error', code: 'card_declined' } })
    t.equal(deposit!.status, 200)
    t.match(await get(booking.id), { status: 'pending_payment', paymentStatus: 'failed' })
    const { parts } = (await session(booking.id)).json() as PaymentSession
    t.same(
      parts.map((part) => [part.purpose, part.status]),
      [
        ['charge', 'failed'],
        ['deposit', 'authorized'],
      ],
    )
    const retry = await confirmInBrowser(server, parts[0]!.clientSecret, 'pm_card_visa')
    t.equal(retry.status, 200)
    await server.webhooksDelivered()
    t.match(await get(booking.id), { status: 'requested', paymentStatus: 'authorized' })
  })

  t.test("the test server refuses a client secret that is not the intent's own", async (t) => {
    const booking = (await newBooking()).json()
    const { parts } = (await session(booking.id)).json() as PaymentSession
    const [charge, deposit] = [intentsOf(booking.id).find((i) => i.metadata.purpose === 'charge')!, parts[1]!]
    const forged = await confirmInBrowser(server, deposit.clientSecret, 'pm_card_visa', charge.id)
    t.equal(forged.status, 400)
    t.match(await forged.json(), { error: { code: 'payment_intent_invalid_parameter', param: 'client_secret' } })
    t.equal(server.intents.get(charge.id)?.status, 'requires_payment_method')
    await server.webhooksDelivered()
    t.match(await get(booking.id), { status: 'pending_payment', paymentStatus: 'authorizing' })
  })
})
