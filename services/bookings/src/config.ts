import { DEFAULT_PORTS } from '@commons/contracts'
import { DataServiceConfig, HttpUrl, Port } from '@commons/service-kit'
import { z } from 'zod'

/** `test` or `live` from a Stripe key's prefix (`sk_test_...`); undefined for unset or other shapes. */
const keyMode = (key: string | undefined) => (key ? /^[a-z]{2}_(test|live)_/.exec(key)?.[1] : undefined)

/** The bookings service's environment. */
export const BookingsConfig = DataServiceConfig.extend({
  PORT: Port.default(DEFAULT_PORTS.bookings),
  JWKS_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.listings}/.well-known/jwks.json`),
  LISTINGS_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.listings}`),
  /**
   * The community service, whose feed announces volunteers' hours at activities, credited as time credits.
   * Unset: activities earn no credits here (`pnpm start`, compose and Helm set it).
   */
  COMMUNITY_URL: HttpUrl.optional(),
  /** How often the job runner looks for due jobs (timers, rating windows) when no notification woke it, in ms. */
  TIMER_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** Enables Stripe payments (PaymentIntents with manual capture); unset: offline payments. */
  STRIPE_SECRET_KEY: z.string().startsWith('sk_').optional(),
  /** Verifies `POST /v1/webhooks/stripe` signatures; required with STRIPE_SECRET_KEY. */
  STRIPE_WEBHOOK_SECRET: z.string().min(8).optional(),
  /** Handed to browsers to confirm PaymentIntents with Stripe.js; required with STRIPE_SECRET_KEY. */
  STRIPE_PUBLISHABLE_KEY: z.string().startsWith('pk_').optional(),
  /** Another Stripe-compatible API (tests, a proxy); default Stripe's own. */
  STRIPE_API_URL: HttpUrl.optional(),
  STRIPE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(20_000),
  STRIPE_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
})
  .refine((c) => !c.STRIPE_SECRET_KEY || c.STRIPE_WEBHOOK_SECRET, {
    message: 'required when STRIPE_SECRET_KEY is set',
    path: ['STRIPE_WEBHOOK_SECRET'],
  })
  .refine((c) => !c.STRIPE_SECRET_KEY || c.STRIPE_PUBLISHABLE_KEY, {
    message: 'required when STRIPE_SECRET_KEY is set',
    path: ['STRIPE_PUBLISHABLE_KEY'],
  })
  // A test publishable key cannot confirm a live PaymentIntent (nor the reverse): Stripe.js would answer
  // "No such payment_intent" in the browser, long after a deploy that a config check could have stopped.
  .refine(
    (c) => {
      const [secret, publishable] = [keyMode(c.STRIPE_SECRET_KEY), keyMode(c.STRIPE_PUBLISHABLE_KEY)]
      return !secret || !publishable || secret === publishable
    },
    {
      message: 'must be a test key with a test secret key and a live key with a live one',
      path: ['STRIPE_PUBLISHABLE_KEY'],
    },
  )
export type BookingsConfig = Readonly<z.infer<typeof BookingsConfig>>
