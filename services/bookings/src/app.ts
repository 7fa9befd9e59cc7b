import { createDb, type FeedSource, migrateToLatest, ping, registerFeedRoute, startConsumer } from '@commons/db'
import { type App, buildService, type KeySource, remoteKeys } from '@commons/service-kit'
import { registerAvailabilityRoutes } from './availability/availability.routes.ts'
import { registerBookingRoutes } from './bookings/bookings.routes.ts'
import { registerCalendarRoutes } from './calendars/calendars.routes.ts'
import type { BookingsConfig } from './config.ts'
import { registerCreditRoutes } from './credits/credits.routes.ts'
import { migrations } from './db/migrations/index.ts'
import type { DB } from './db/schema.ts'
import { type BookingsDeps, type Clock, systemClock } from './deps.ts'
import { registerLedgerRoutes } from './ledger/ledger.routes.ts'
import { applyListingEvent } from './listings/replica.ts'
import { offlinePayments, type PaymentProvider } from './payments/payment-provider.ts'
import { registerPaymentRoutes } from './payments/payments.routes.ts'
import { type StripeSetup, stripeClient, stripePayments } from './payments/stripe-payments.ts'
import { registerWebhookRoutes } from './payments/webhooks.routes.ts'
import { startCompletionConsumer } from './ratings/completion.ts'
import { closeDueRatingWindows, startWindowWorker } from './ratings/rating-windows.ts'
import { registerRatingRoutes } from './ratings/ratings.routes.ts'
import { registerReputationRoutes } from './reputation/reputation.routes.ts'
import { runDueTimers, startTimerWorker } from './timers/timers.service.ts'

/** The Postgres schema this service owns. */
export const SCHEMA = 'bookings'

/** Applies the bookings schema's migrations. */
export async function migrate(config: Pick<BookingsConfig, 'DATABASE_URL'>): Promise<void> {
  const db = createDb<DB>({ url: config.DATABASE_URL, schema: SCHEMA, poolMax: 1 })
  try {
    await migrateToLatest(db, { schema: SCHEMA, migrations })
  } finally {
    await db.destroy()
  }
}

/** What tests, benchmarks and tools may put in place of the production parts. */
export interface BookingsOverrides {
  /** Keys that verify access tokens (default: the JWKS at JWKS_URL). */
  keys?: KeySource
  clock?: Clock
  /** The listings feed (default: LISTINGS_URL with the service token). */
  listingsFeed?: FeedSource
  payments?: PaymentProvider
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Bookings' background work, reachable for tests and scripts. */
    bookings: {
      deps: BookingsDeps
      /** Resolves once the listing replica has caught up with the listings feed (RUN_WORKERS only). */
      syncListings(): Promise<void>
      /** Runs the timers that are due by the clock now. */
      runDueTimers(): Promise<number>
    }
    /** Ratings' background work, reachable for tests and scripts. */
    ratings: {
      /** Resolves once completions, no-shows and cancellations in the bookings feed were applied (RUN_WORKERS). */
      syncCompletions(): Promise<void>
      /** Publishes the ratings of windows closed by the clock now; returns how many. */
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
  const app = await buildService({
    name: 'bookings',
    config,
    keys: overrides.keys ?? remoteKeys(config.JWKS_URL),
    description: 'Availability, bookings, payments and calendars',
  })
  const db = createDb<DB>({ url: config.DATABASE_URL, schema: SCHEMA, applicationName: 'bookings' })
  app.addHook('onClose', () => db.destroy())
  app.readinessChecks.set('database', () => ping(db))
  registerFeedRoute(app, { db, serviceToken: config.SERVICE_TOKEN })

  const stripe = stripeSetup(config)
  const deps: BookingsDeps = {
    db,
    clock: overrides.clock ?? systemClock,
    config,
    payments: overrides.payments ?? (stripe ? stripePayments(stripe.client) : offlinePayments()),
    stripe,
  }
  // Registration order is the order of the OpenAPI document's paths.
  registerAvailabilityRoutes(app, deps)
  registerBookingRoutes(app, deps)
  registerWebhookRoutes(app, deps)
  registerPaymentRoutes(app, deps)
  registerCalendarRoutes(app, deps)
  registerRatingRoutes(app, deps)
  registerReputationRoutes(app, deps)
  registerLedgerRoutes(app, deps)
  registerCreditRoutes(app, deps)

  let syncListings = async () => {}
  let syncCompletions = async () => {}
  if (config.RUN_WORKERS) {
    const listings = startConsumer({
      db,
      name: 'bookings.listings',
      source: overrides.listingsFeed ?? { url: config.LISTINGS_URL, token: config.SERVICE_TOKEN },
      handle: (trx, event) => applyListingEvent(trx, event, deps.clock.now()),
      registry: app.metrics.registry,
      log: app.log,
    })
    // Completions reach ratings and time credits through this service's own feed.
    const completions = startCompletionConsumer(deps, { registry: app.metrics.registry, log: app.log })
    const workerOpts = { intervalMs: config.TIMER_POLL_MS, log: app.log }
    const timers = startTimerWorker(deps, workerOpts)
    const windows = startWindowWorker(deps, workerOpts)
    syncListings = () => listings.drain()
    syncCompletions = () => completions.drain()
    // Registered after the db's onClose hook, so (hooks run in reverse) they stop before the pool closes.
    app.addHook('onClose', async () => {
      await Promise.all([listings.stop(), completions.stop(), timers.stop(), windows.stop()])
    })
  }
  app.decorate('bookings', { deps, syncListings: () => syncListings(), runDueTimers: () => runDueTimers(deps) })
  app.decorate('ratings', {
    syncCompletions: () => syncCompletions(),
    closeDueWindows: () => closeDueRatingWindows(deps),
  })
  return app
}
