import type { Clock } from '@commons/service-kit'
import type { Kysely } from 'kysely'
import type { BookingsConfig } from './config.ts'
import type { DB } from './db/schema.ts'
import type { BookingJobQueue } from './jobs/booking-jobs.ts'
import type { PaymentProvider } from './payments/payment-provider.ts'
import type { StripeSetup } from './payments/stripe-payments.ts'

export { type Clock, systemClock } from '@commons/service-kit'

/**
 * What the use cases need, built once in buildApp and passed down (no module-level singletons): the same
 * `{ db, clock, config }` shape every service has, plus how money moves here.
 */
export interface BookingsDeps {
  db: Kysely<DB>
  clock: Clock
  config: BookingsConfig
  payments: PaymentProvider
  /** Deferred work (timers, rating windows), enqueued in the transaction that needs it. */
  jobs: BookingJobQueue
  /** Stripe's API and keys, when STRIPE_SECRET_KEY is set. */
  stripe: StripeSetup | undefined
}
