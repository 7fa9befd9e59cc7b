import type { Clock } from '@commons/service-kit'
import type { Kysely } from 'kysely'
import type { DiscoveryConfig } from './config.ts'
import type { DB } from './db/schema.ts'
import type { Meili } from './search/meili.ts'

export { type Clock, systemClock } from '@commons/service-kit'

/**
 * What the use cases need, built once in buildApp and passed down (no module-level singletons): the same
 * `{ db, clock, config }` shape every service has, plus the Meilisearch clients the indexes live in.
 */
export interface DiscoveryDeps {
  db: Kysely<DB>
  clock: Clock
  config: DiscoveryConfig
  meili: Meili
}
