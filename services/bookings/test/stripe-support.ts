import type { BookingRules, Pricing } from '@commons/contracts'
import type { StripeEvent } from '@commons/testkit'
import { startStripeServer } from '@commons/testkit'
import Stripe from 'stripe'
import type { Test } from 'tap'
import { bearer, book, makeListing, parties, testApp } from './helpers.ts'

export const STRIPE_NOW = '2026-11-21T00:00:00Z'
export const SECRET_KEY = 'sk_test_commons'
export const PUBLISHABLE_KEY = 'pk_test_commons'
export const WEBHOOK_SECRET = 'whsec_commons_test'
/** Signs webhook payloads as Stripe does (the SDK's own test helper). */
export const signer = new Stripe(SECRET_KEY)

/**
 * A bookings app paying through a Stripe test server, with one published paid listing, its two parties, a
 * sender of signed webhooks (a `signature` of the test's own replaces the right one), and a factory of
 * bookings on a fresh day each.
 */
export async function stripeApp(
  t: Test,
  opts: {
    env?: Record<string, string>
    pricing?: Pricing
    cancellationPolicy?: BookingRules['cancellationPolicy']
  } = {},
) {
  const server = await startStripeServer({ secretKey: SECRET_KEY, publishableKey: PUBLISHABLE_KEY })
  t.teardown(() => server.close())
  const h = await testApp(t, {
    now: STRIPE_NOW,
    env: {
      STRIPE_SECRET_KEY: SECRET_KEY,
      STRIPE_PUBLISHABLE_KEY: PUBLISHABLE_KEY,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_URL: server.url,
      ...opts.env,
    },
  })
  const listing = makeListing({
    pricing: opts.pricing ?? { model: 'fee', unit: 'booking', price: { amount: 20_000, currency: 'CNY' } },
    rules: { cancellationPolicy: opts.cancellationPolicy ?? 'flexible' },
  })
  await h.publish(listing)
  const p = await parties(listing)
  let day = 0
  const newBooking = async () => {
    const d = String(++day).padStart(2, '0')
    return book(h.app, p.requester.token, {
      listingId: listing.id,
      organizationId: p.requesterOrg,
      start: `2026-12-${d}T10:00`,
      end: `2026-12-${d}T11:00`,
    })
  }
  const deliver = (event: StripeEvent | object | string, signature?: string) => {
    const payload = typeof event === 'string' ? event : JSON.stringify(event)
    return h.app.inject({
      method: 'POST',
      url: '/v1/webhooks/stripe',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': signature ?? signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }),
      },
      payload,
    })
  }
  const intentsOf = (bookingId: string) =>
    [...server.intents.values()].filter((i) => i.metadata.booking_id === bookingId)
  return { server, h, p, listing, newBooking, deliver, intentsOf }
}

/** A booking fee and a refundable deposit: two PaymentIntents a booking. */
export const PRICING_WITH_DEPOSIT: Pricing = {
  model: 'fee',
  unit: 'booking',
  price: { amount: 20_000, currency: 'CNY' },
  deposit: { amount: 50_000, currency: 'CNY' },
}

/**
 * {@link stripeApp} on a listing with a deposit and the moderate policy, the SDK retrying twice, and
 * readers of a booking and of its payment session.
 */
export async function paidBookingApp(t: Test, env: Record<string, string> = {}, pricing?: Pricing) {
  const { server, h, p, listing, newBooking, deliver, intentsOf } = await stripeApp(t, {
    env: { STRIPE_MAX_RETRIES: '2', ...env },
    pricing: pricing ?? PRICING_WITH_DEPOSIT,
    cancellationPolicy: 'moderate',
  })
  const get = async (id: string) =>
    (await h.app.inject({ method: 'GET', url: `/v1/bookings/${id}`, headers: bearer(p.requester.token) })).json()
  const session = (id: string, token = p.requester.token) =>
    h.app.inject({ method: 'GET', url: `/v1/bookings/${id}/payment-session`, headers: bearer(token) })
  return { server, h, p, listing, newBooking, deliver, intentsOf, get, session }
}
