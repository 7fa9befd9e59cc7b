import { applyAccessEvent, attachDatabase, createDb, type FeedSource, resolveActor, startConsumer } from '@commons/db'
import { createJobWorker, defineJobQueue, type JobHandlers, migrateService } from '@commons/jobs'
import { type App, buildService, type KeySource, registerPersonalDataRoute, remoteKeys } from '@commons/service-kit'
import { registerActivityRoutes } from './activities/activities.routes.ts'
import type { CommunityConfig } from './config.ts'
import { migrations } from './db/migrations/index.ts'
import type { DB } from './db/schema.ts'
import { type Clock, type CommunityDeps, systemClock } from './deps.ts'
import { endActivity } from './ending/activity-end.ts'
import { recheckBadges } from './evaluations/badges.ts'
import { registerEvaluationRoutes } from './evaluations/evaluations.routes.ts'
import { recheckFlags, scheduleFlagsRecheck } from './evaluations/flags.ts'
import { closeEvaluationWindow } from './evaluations/submit-evaluation.ts'
import { type CommunityJobs, JOBS_SCHEMA } from './jobs/community-jobs.ts'
import { registerActivityLedgerRoutes } from './ledger/activity-ledger.ts'
import { remindParticipants } from './notices/participant-notices.ts'
import { applyOverviewEvent } from './overview/overview.repository.ts'
import { registerOverviewRoutes } from './overview/overview.routes.ts'
import { applyPrivacyEvent, personalData } from './privacy/privacy.repository.ts'
import { registerRegistrationRoutes } from './registrations/registrations.routes.ts'
import { applyBookingsEvent, applyListingsEvent } from './replica/replica.repository.ts'
import { registerSurveyRoutes } from './surveys/surveys.routes.ts'

/** The Postgres schema this service owns. */
export const SCHEMA = 'community'

/** Applies the community schema's migrations and installs (or upgrades) its job queue's tables. */
export async function migrate(config: Pick<CommunityConfig, 'DATABASE_URL'>): Promise<void> {
  await migrateService({ url: config.DATABASE_URL, schema: SCHEMA, jobsSchema: JOBS_SCHEMA, migrations })
}

/** What tests, benchmarks and tools may put in place of the production parts. */
export interface CommunityOverrides {
  /** Keys that verify access tokens (default: the JWKS at JWKS_URL). */
  keys?: KeySource
  clock?: Clock
  /** The listings and bookings feeds (default: LISTINGS_URL / BOOKINGS_URL with the service token). */
  feeds?: { listings?: FeedSource; bookings?: FeedSource }
  /**
   * Whether RUN_WORKERS starts the job runner (default true). The runner goes by the database's clock;
   * tests with a clock of their own leave it off and run due jobs with `app.community.runDueJobs()`.
   */
  startJobRunner?: boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Community's background work, reachable for tests and scripts. */
    community: {
      deps: CommunityDeps
      /** Resolves once the replicas caught up with the listings and bookings feeds (RUN_WORKERS only). */
      syncFeeds(): Promise<void>
      /** Runs every job due by the deps' clock now; resolves with how many attempts ran. */
      runDueJobs(): Promise<number>
    }
  }
}

/**
 * Builds the community service: activities with sign-up and check-in, three-way evaluations and
 * scorecards, needs surveys and overviews. Each feature folder registers its routes here.
 */
export async function buildApp(config: CommunityConfig, overrides: CommunityOverrides = {}): Promise<App> {
  const db = createDb<DB>({ url: config.DATABASE_URL, schema: SCHEMA, applicationName: 'community' })
  const app = await buildService({
    name: 'community',
    config,
    keys: overrides.keys ?? remoteKeys(config.JWKS_URL),
    // Roles and the moderator flag from the access replica (listings feed), not the token's claims.
    resolveActor: (actor) => resolveActor(db, actor),
    description: 'Activities, sign-ups and check-in, three-way evaluations, needs surveys and overviews',
  })
  attachDatabase(app, db, { serviceToken: config.SERVICE_TOKEN })

  const clock = overrides.clock ?? systemClock
  const deps: CommunityDeps = {
    db,
    clock,
    config,
    jobs: defineJobQueue<CommunityJobs>({ schema: JOBS_SCHEMA, clock }),
  }
  // Feature folders register here; registration order is the order of the OpenAPI document's paths.
  registerActivityLedgerRoutes(app, deps)
  registerActivityRoutes(app, deps)
  registerRegistrationRoutes(app, deps)
  registerEvaluationRoutes(app, deps)

  registerSurveyRoutes(app, {
    ...deps,
    challenge: {
      secret: `survey-challenge:${config.SERVICE_TOKEN}`,
      bits: config.SURVEY_CHALLENGE_BITS,
      ttlMs: 3_600_000,
    },
    anonymousPerHour: config.SURVEY_ANONYMOUS_PER_HOUR,
  })
  registerOverviewRoutes(app, deps)
  registerPersonalDataRoute(app, { serviceToken: config.SERVICE_TOKEN, collect: (userId) => personalData(db, userId) })

  const handlers: JobHandlers<CommunityJobs> = {
    'activity.end': (job) => endActivity(deps, job.activityId),
    'evaluation-window.close': (job) => closeEvaluationWindow(deps, job.activityId),
    'activity.reminder': (job) => remindParticipants(deps, job.activityId),
    'flags.recheck': async () => {
      const { checked, changed } = await recheckFlags(deps)
      app.log.info({ checked, changed }, 'flags rechecked')
    },
    'badges.recheck': async () => {
      const { checked, changed } = await recheckBadges(deps)
      app.log.info({ checked, changed }, 'badges rechecked')
    },
  }
  const worker = createJobWorker({ queue: deps.jobs, db, handlers, registry: app.metrics.registry, log: app.log })

  const syncs: Array<() => Promise<void>> = []
  if (config.RUN_WORKERS) {
    const consumers = [
      startConsumer({
        db,
        name: 'community.listings',
        source: overrides.feeds?.listings ?? { url: config.LISTINGS_URL, token: config.SERVICE_TOKEN },
        handle: async (trx, event) => {
          await applyListingsEvent(trx, event, clock.now())
          await applyOverviewEvent(trx, event)
          await applyPrivacyEvent(trx, event)

          await applyAccessEvent(trx, event)
        },
        registry: app.metrics.registry,
        log: app.log,
      }),
      startConsumer({
        db,
        name: 'community.bookings',
        source: overrides.feeds?.bookings ?? { url: config.BOOKINGS_URL, token: config.SERVICE_TOKEN },
        handle: (trx, event) => applyBookingsEvent(trx, event, clock.now()),
        registry: app.metrics.registry,
        log: app.log,
      }),
    ]
    for (const consumer of consumers) syncs.push(() => consumer.drain())
    // Registered after the db's onClose hook, so (hooks run in reverse) they stop before the pool closes.
    app.addHook('onClose', async () => {
      await Promise.all(consumers.map((c) => c.stop()))
    })
    if (overrides.startJobRunner !== false) {
      await worker.start({ url: config.DATABASE_URL, pollIntervalMs: config.JOB_POLL_MS })
      app.addHook('onClose', () => worker.stop())
    }
    // The daily recheck queues its next run itself; this starts the chain (and is harmless when it runs).
    // Not awaited: a database that is down at start must not keep the service from starting.
    scheduleFlagsRecheck(deps).catch((error) =>
      app.log.warn({ err: error }, 'could not queue the daily recheck of flags; it is queued at the next start'),
    )
  }
  app.decorate('community', {
    deps,
    syncFeeds: async () => {
      for (const sync of syncs) await sync()
    },
    runDueJobs: () => worker.runDue(),
  })
  return app
}
