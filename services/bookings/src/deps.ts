import type { Kysely } from 'kysely'
import type { DB } from './db/schema.ts'
import type { PaymentProvider } from './payments/payment-provider.ts'

/** Where "now" comes from; tests pass a clock they move. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** What the use cases need, built once in buildApp and passed down (no module-level singletons). */
export interface BookingsDeps {
  db: Kysely<DB>
  clock: Clock
  payments: PaymentProvider
}
