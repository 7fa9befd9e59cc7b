import { applyAccessEvent, attachDatabase, createDb, type FeedSource, resolveActor, startConsumer } from '@commons/db'
import { createJobWorker, defineJobQueue, type JobHandlers, migrateService } from '@commons/jobs'
import { type App, buildService, type KeySource, registerPersonalDataRoute, remoteKeys } from '@commons/service-kit'
import type { Kysely } from 'kysely'
import { registerAvailabilityRoutes } from './availability/availability.routes.ts'
import { registerBookingRoutes } from './bookings/bookings.routes.ts'
import { applyHierarchyEvent } from './bookings/quota.ts'
import { registerCalendarRoutes } from './calendars/calendars.routes.ts'
import { applyCommunityEvent } from './community/activity-credits.ts'
import type { BookingsConfig } from './config.ts'
import { registerCreditRoutes } from './credits/credits.routes.ts'
import { migrations } from './db/migrations/index.ts'
import type { DB } from './db/schema.ts'
import { type BookingsDeps, type Clock, systemClock } from './deps.ts'
import { adoptLegacyWork } from './jobs/adopt-legacy.ts'
import { type BookingJobs, JOBS_SCHEMA } from './jobs/booking-jobs.ts'
import { registerLedgerRoutes } from './ledger/ledger.routes.ts'
import { applyListingEvent } from './listings/replica.ts'
import { offlinePayments, type PaymentProvider } from './payments/payment-provider.ts'
import { runPaymentSteps } from './payments/payment-steps.ts'
import { registerPaymentRoutes } from './payments/payments.routes.ts'
import { type StripeSetup, stripeClient, stripePayments } from './payments/stripe-payments.ts'
import { registerWebhookRoutes } from './payments/webhooks.routes.ts'
import { applyPrivacyEvent, personalData } from './privacy/personal-data.ts'
import { startCompletionConsumer } from './ratings/completion.ts'
import { closeRatingWindow } from './ratings/rating-windows.ts'
import { registerRatingRoutes } from './ratings/ratings.routes.ts'
import { registerReputationRoutes } from './reputation/reputation.routes.ts'
import { runBookingTimer } from './timers/timers.service.ts'

/** The Postgres schema this service owns. */
export const SCHEMA = 'bookings'

/** Applies the bookings schema's migrations and installs (or upgrades) its job queue's tables. */
export async function migrate(config: Pick<BookingsConfig, 'DATABASE_URL'>): Promise<void> {
  await migrateService({
    url: config.DATABASE_URL,
    schema: SCHEMA,
    jobsSchema: JOBS_SCHEMA,
    migrations,
    // The due times are explicit, so the queue's clock does not matter here.
    after: (db) => adoptLegacyWork(db as Kysely<DB>, defineJobQueue<BookingJobs>({ schema: JOBS_SCHEMA })),
  })
}

/** What tests, benchmarks and tools may put in place of the production parts. */
export interface BookingsOverrides {
  /** Keys that verify access tokens (default: the JWKS at JWKS_URL). */
  keys?: KeySource
  clock?: Clock
  /** The listings feed (default: LISTINGS_URL with the service token). */
  listingsFeed?: FeedSource
  /** The community feed (default: COMMUNITY_URL with the service token; not read when neither is given). */
  communityFeed?: FeedSource
  payments?: PaymentProvider
  /**
   * Whether RUN_WORKERS starts the job runner (default true). The runner goes by the database's clock;
   * tests with a clock of their own leave it off and run due jobs with `app.bookings.runDueJobs()`.
   */
  startJobRunner?: boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Bookings' background work, reachable for tests and scripts. */
    bookings: {
      deps: BookingsDeps
      /** Resolves once the listing replica has caught up with the listings feed (RUN_WORKERS only). */
      syncListings(): Promise<void>
      /** Resolves once the community feed's volunteer hours were credited (RUN_WORKERS with a community feed). */
      syncCommunity(): Promise<void>
      /**
       * Runs every job due by the deps' clock now (timers, rating windows), including those they enqueue
       * that are due by then; resolves with how many attempts ran.
       */
      runDueJobs(): Promise<number>
    }
    /** Ratings' background work, reachable for tests and scripts. */
    ratings: {
      /** Resolves once completions, no-shows and cancellations in the bookings feed were applied (RUN_WORKERS). */
      syncCompletions(): Promise<void>
      /** Runs the jobs due by the clock now, rating windows' closing among them (see `runDueJobs`). */
      closeDueWindows(): Promise<number>
    }
  }
}

function stripeSetup(config: BookingsConfig): StripeSetup | undefined {
  if (!config.STRIPE_SECRET_KEY) return undefined
  return {
    client: stripeClient({
      secretKey: config.STRIPE_SECRET_KEY,
      apiUrl: config.STRIPE_API_URL,
      timeoutMs: config.STRIPE_TIMEOUT_MS,
      maxNetworkRetries: config.STRIPE_MAX_RETRIES,
    }),
    webhookSecret: config.STRIPE_WEBHOOK_SECRET ?? '',
    publishableKey: config.STRIPE_PUBLISHABLE_KEY ?? '',
  }
}

/**
 * Builds the bookings service: availability, bookings and their payments, timers, calendars, ratings,
 * reputation, the usage ledger and time credits. Every feature's routes and workers are wired here.
 */
export async function buildApp(config: BookingsConfig, overrides: BookingsOverrides = {}): Promise<App> {
  const db = createDb<DB>({ url: config.DATABASE_URL, schema: SCHEMA, applicationName: 'bookings' })
  const keys = overrides.keys ?? remoteKeys(config.JWKS_URL)
  const app = await buildService({
    name: 'bookings',
    config,
    keys,
    // Roles and the moderator flag from the access replica (listings feed), not the token's claims.
    resolveActor: (actor) => resolveActor(db, actor),
    description: 'Availability, bookings, payments and calendars',
  })
  attachDatabase(app, db, { serviceToken: config.SERVICE_TOKEN })

  const stripe = stripeSetup(config)
  const clock = overrides.clock ?? systemClock
  const deps: BookingsDeps = {
    db,
    clock,
    config,
    jobs: defineJobQueue<BookingJobs>({ schema: JOBS_SCHEMA, clock }),
    payments: overrides.payments ?? (stripe ? stripePayments(stripe.client) : offlinePayments()),
    stripe,
  }
  // Registration order is the order of the OpenAPI document's paths.
  registerAvailabilityRoutes(app, deps)
  registerBookingRoutes(app, deps, { keys })
  registerWebhookRoutes(app, deps)
  registerPaymentRoutes(app, deps)
  registerCalendarRoutes(app, deps)
  registerRatingRoutes(app, deps)
  registerReputationRoutes(app, deps)
  registerLedgerRoutes(app, deps)
  registerCreditRoutes(app, deps)
  registerPersonalDataRoute(app, { serviceToken: config.SERVICE_TOKEN, collect: (userId) => personalData(db, userId) })

  const handlers: JobHandlers<BookingJobs> = {
    'booking.timer': (job) => runBookingTimer(deps, job),
    'rating-window.close': (job) => closeRatingWindow(deps, job),
    'payment.steps': (job) => runPaymentSteps(deps, job),
  }
  const worker = createJobWorker({ queue: deps.jobs, db, handlers, registry: app.metrics.registry, log: app.log })

  let syncListings = async () => {}
  let syncCompletions = async () => {}
  let syncCommunity = async () => {}
  if (config.RUN_WORKERS) {
    const listings = startConsumer({
      db,
      name: 'bookings.listings',
      source: overrides.listingsFeed ?? { url: config.LISTINGS_URL, token: config.SERVICE_TOKEN },
      handle: async (trx, event) => {
        await applyListingEvent(trx, event, deps.clock.now())
        await applyHierarchyEvent(trx, event)
        await applyPrivacyEvent(trx, event)

        await applyAccessEvent(trx, event)
      },
      registry: app.metrics.registry,
      log: app.log,
    })
    // Completions reach ratings and time credits through this service's own feed.
    const completions = startCompletionConsumer(deps, { registry: app.metrics.registry, log: app.log })
    if (overrides.startJobRunner !== false) {
      await worker.start({ url: config.DATABASE_URL, pollIntervalMs: config.TIMER_POLL_MS })
      app.addHook('onClose', () => worker.stop())
    }
    // Volunteers' hours at community activities, credited like volunteer bookings.
    const communitySource =
      overrides.communityFeed ??
      (config.COMMUNITY_URL ? { url: config.COMMUNITY_URL, token: config.SERVICE_TOKEN } : undefined)
    const community = communitySource
      ? startConsumer({
          db,
          name: 'bookings.community',
          source: communitySource,
          handle: (trx, event) => applyCommunityEvent(trx, event, deps.clock.now()),
          registry: app.metrics.registry,
          log: app.log,
        })
      : undefined
    syncListings = () => listings.drain()
    syncCompletions = () => completions.drain()
    syncCommunity = async () => community?.drain()
    // Registered after the db's onClose hook, so (hooks run in reverse) they stop before the pool closes.
    app.addHook('onClose', async () => {
      await Promise.all([listings.stop(), completions.stop(), community?.stop()])
    })
  }
  app.decorate('bookings', {
    deps,
    syncListings: () => syncListings(),
    syncCommunity: () => syncCommunity(),
    runDueJobs: () => worker.runDue(),
  })
  app.decorate('ratings', { syncCompletions: () => syncCompletions(), closeDueWindows: () => worker.runDue() })
  return app
}
