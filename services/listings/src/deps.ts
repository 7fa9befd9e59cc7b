import type { Clock } from '@commons/service-kit'
import type { Kysely } from 'kysely'
import type { ListingsConfig } from './config.ts'
import type { DB } from './db/schema.ts'

export { type Clock, systemClock } from '@commons/service-kit'

/**
 * What the use cases need, built once in buildApp and passed down (no module-level singletons): the same
 * `{ db, clock, config }` shape every service has.
 */
export interface ListingsDeps {
  db: Kysely<DB>
  clock: Clock
  config: ListingsConfig
}

/** What a use case that stamps a time needs; tools and tests pass these two without a whole config. */
export type DbClock = Pick<ListingsDeps, 'db' | 'clock'>
