import type { PaymentSession } from '@commons/contracts'
import { parseConfig } from '@commons/service-kit'
import type { StripeTestServer } from '@commons/testkit'
import t from 'tap'
import { BookingsConfig } from '../src/config.ts'
import { act, bearer, book, makeListing, parties, testApp, tokenFor } from './helpers.ts'
import {
  PRICING_WITH_DEPOSIT,
  PUBLISHABLE_KEY,
  paidBookingApp,
  SECRET_KEY,
  STRIPE_NOW,
  WEBHOOK_SECRET,
} from './stripe-support.ts'

const NOW = STRIPE_NOW

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
  const { server, h, p, newBooking, deliver, intentsOf, session } = await paidBookingApp(t)
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
    const listing = makeListing({ pricing: PRICING_WITH_DEPOSIT })
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
  const { server, h, p, listing, newBooking, get, session, intentsOf } = await paidBookingApp(t)
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
      pricing: PRICING_WITH_DEPOSIT,
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
