import { attachDatabase, createDb, type FeedSource, resolveActor } from '@commons/db'
import { createJobWorker, defineJobQueue, migrateService } from '@commons/jobs'
import { type App, buildService, type KeySource, registerPersonalDataRoute, remoteKeys } from '@commons/service-kit'
import { registerAdminRoutes } from './admin/admin.routes.ts'
import type { DiscoveryConfig } from './config.ts'
import { migrations } from './db/migrations/index.ts'
import type { DB } from './db/schema.ts'
import { type Clock, type DiscoveryDeps, systemClock } from './deps.ts'
import { IndexWorkers } from './indexing/workers.ts'
import { registerMatchRoutes } from './matches/matches.routes.ts'
import { personalData } from './privacy/personal-data.ts'
import { type DiscoveryJobs, JOBS_SCHEMA, runRetention, scheduleRetention } from './privacy/retention.ts'
import { registerRecommendationRoutes } from './recommendations/recommendations.routes.ts'
import { createMeili } from './search/meili.ts'
import { registerSearchRoutes } from './search/search.routes.ts'

/** The Postgres schema this service owns. */
export const SCHEMA = 'discovery'

/** Applies the discovery schema's migrations and installs (or upgrades) its job queue's tables. */
export async function migrate(config: Pick<DiscoveryConfig, 'DATABASE_URL'>): Promise<void> {
  await migrateService({ url: config.DATABASE_URL, schema: SCHEMA, jobsSchema: JOBS_SCHEMA, migrations })
}

/**
 * What a caller may put in place of the production wiring: tests and benchmarks read feeds from a
 * function and verify tokens with local keys. Everything else comes from the config.
 */
export interface DiscoveryOverrides {
  keys?: KeySource
  feeds?: { listings?: FeedSource; bookings?: FeedSource; community?: FeedSource }
  /** Where the time comes from (tests move it). */
  clock?: Clock
  /**
   * Whether RUN_WORKERS starts the job runner (default true). Tests with a clock of their own leave it off,
   * schedule the sweep with `app.retention.schedule` and run due jobs with `app.retention.runDue(asOf)`.
   */
  startJobRunner?: boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The index workers of this process (null when RUN_WORKERS is off). */
    indexWorkers: IndexWorkers | null
    /** The view-history retention sweep (a recurring job), reachable for tests and scripts. */
    retention: { schedule(at: Date): Promise<void>; runDue(asOf?: Date): Promise<number> }
  }
}

/** Builds the discovery service: search, suggestions, matches, recommendations and index operations. */
export async function buildApp(config: DiscoveryConfig, overrides: DiscoveryOverrides = {}): Promise<App> {
  const db = createDb<DB>({ url: config.DATABASE_URL, schema: SCHEMA, applicationName: 'discovery' })
  const app = await buildService({
    name: 'discovery',
    config,
    keys: overrides.keys ?? remoteKeys(config.JWKS_URL),
    // Roles and the moderator flag from the access replica (listings feed), not the token's claims.
    resolveActor: (actor) => resolveActor(db, actor),
    description: 'Search, suggestions, matches, recommendations, search index operations',
  })
  const meili = createMeili(config)
  app.decorate('indexWorkers', null)
  attachDatabase(app, db, { serviceToken: config.SERVICE_TOKEN })
  app.readinessChecks.set('meilisearch', async () => {
    await meili.search.health()
  })
  registerPersonalDataRoute(app, { serviceToken: config.SERVICE_TOKEN, collect: (userId) => personalData(db, userId) })

  if (config.RUN_WORKERS) {
    const workers = new IndexWorkers({
      db,
      meili,
      sources: {
        listings: overrides.feeds?.listings ?? { url: config.LISTINGS_URL, token: config.SERVICE_TOKEN },
        bookings: overrides.feeds?.bookings ?? { url: config.BOOKINGS_URL, token: config.SERVICE_TOKEN },
        community: overrides.feeds?.community ?? { url: config.COMMUNITY_URL, token: config.SERVICE_TOKEN },
      },
      pollIntervalMs: config.FEED_POLL_INTERVAL_MS,
      batchSize: config.FEED_BATCH_SIZE,
      registry: app.metrics.registry,
      log: app.log,
    })
    app.indexWorkers = workers
    // preClose hooks all run before any onClose hook (and onClose hooks run in reverse order of
    // registration), so the consumers stop before the db's onClose hook closes the pool.
    app.addHook('preClose', () => workers.stop())
  }

  const deps: DiscoveryDeps = { db, clock: overrides.clock ?? systemClock, config, meili }
  const retention = {
    db,
    clock: deps.clock,
    config,
    jobs: defineJobQueue<DiscoveryJobs>({ schema: JOBS_SCHEMA, clock: deps.clock }),
  }
  const jobWorker = createJobWorker({
    queue: retention.jobs,
    db,
    handlers: { 'privacy.retention': async (_payload, job) => void (await runRetention(retention, job.runAt)) },
    registry: app.metrics.registry,
    log: app.log,
  })
  if (config.RUN_WORKERS && overrides.startJobRunner !== false) {
    // A sweep now, then each schedules the next; a restart moves the pending one rather than adding one.
    await scheduleRetention(retention, deps.clock.now())
    await jobWorker.start({ url: config.DATABASE_URL, pollIntervalMs: config.JOB_POLL_MS })
    app.addHook('onClose', () => jobWorker.stop())
  }
  app.decorate('retention', {
    schedule: (at: Date) => scheduleRetention(retention, at),
    runDue: (asOf?: Date) => jobWorker.runDue(asOf),
  })
  registerSearchRoutes(app, deps)
  registerMatchRoutes(app, deps)
  registerRecommendationRoutes(app, deps)
  registerAdminRoutes(app, { ...deps, log: app.log })
  return app
}
