import type { Clock } from '@commons/service-kit'
import type { Kysely } from 'kysely'
import type { DB } from './db/schema.ts'
import type { PaymentProvider } from './payments/payment-provider.ts'

export { type Clock, systemClock } from '@commons/service-kit'

/** What the use cases need, built once in buildApp and passed down (no module-level singletons). */
export interface BookingsDeps {
  db: Kysely<DB>
  clock: Clock
  payments: PaymentProvider
}
