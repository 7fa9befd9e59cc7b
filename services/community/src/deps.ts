import type { Clock } from '@commons/service-kit'
import type { Kysely } from 'kysely'
import type { CommunityConfig } from './config.ts'
import type { DB } from './db/schema.ts'
import type { CommunityJobQueue } from './jobs/community-jobs.ts'

export { type Clock, systemClock } from '@commons/service-kit'

/** What the use cases need, built once in buildApp and passed down to every feature folder. */
export interface CommunityDeps {
  db: Kysely<DB>
  clock: Clock
  config: CommunityConfig
  /** Deferred work (evaluation windows), enqueued in the transaction that needs it. */
  jobs: CommunityJobQueue
}
