import { defineJobQueue } from '@commons/jobs'
import type { Clock } from '@commons/service-kit'
import type { Kysely } from 'kysely'
import type { CommunityConfig } from './config.ts'
import type { DB } from './db/schema.ts'
import { type CommunityJobQueue, type CommunityJobs, JOBS_SCHEMA } from './jobs/community-jobs.ts'

export { type Clock, systemClock } from '@commons/service-kit'

/** What the use cases need, built once in buildApp and passed down to every feature folder. */
export interface CommunityDeps {
  db: Kysely<DB>
  clock: Clock
  config: CommunityConfig
  /** Deferred work (evaluation windows), enqueued in the transaction that needs it. */
  jobs: CommunityJobQueue
}

/**
 * Deps for calling the use cases outside the service (demo data, scripts): the service's own job queue, by
 * `clock`. The activity, sign-up, check-in and evaluation use cases read no configuration.
 */
export function useCaseDeps(db: Kysely<DB>, clock: Clock): CommunityDeps {
  return {
    db,
    clock,
    config: {} as CommunityConfig,
    jobs: defineJobQueue<CommunityJobs>({ schema: JOBS_SCHEMA, clock }),
  }
}
