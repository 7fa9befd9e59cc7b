import { createDb, type FeedSource, migrateToLatest, ping, registerFeedRoute, startConsumer } from '@commons/db'
import { type App, buildService, type KeySource, remoteKeys } from '@commons/service-kit'
import { registerBookingRoutes } from './bookings/bookings.routes.ts'
import { registerCalendarRoutes } from './calendars/calendars.routes.ts'
import type { BookingsConfig } from './config.ts'
import { migrations } from './db/migrations/index.ts'
import type { DB } from './db/schema.ts'
import { type BookingsDeps, type Clock, systemClock } from './deps.ts'
import { applyListingEvent } from './listings/replica.ts'
import { offlinePayments, type PaymentProvider } from './payments/payment-provider.ts'
import { registerPaymentRoutes } from './payments/payments.routes.ts'
import { stripeClient, stripePayments } from './payments/stripe-payments.ts'
import { registerWebhookRoutes } from './payments/webhooks.routes.ts'
import { registerRatings } from './ratings/register.ts'
import { runDueTimers, startTimerWorker } from './timers/timers.ts'

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
  }
}

/** Builds the bookings service: availability, bookings and their payments, timers and calendars. */
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

  const stripe = config.STRIPE_SECRET_KEY
    ? {
        client: stripeClient({
          secretKey: config.STRIPE_SECRET_KEY,
          apiUrl: config.STRIPE_API_URL,
          timeoutMs: config.STRIPE_TIMEOUT_MS,
          maxNetworkRetries: config.STRIPE_MAX_RETRIES,
        }),
        webhookSecret: config.STRIPE_WEBHOOK_SECRET ?? '',
        publishableKey: config.STRIPE_PUBLISHABLE_KEY ?? '',
      }
    : undefined
  const deps: BookingsDeps = {
    db,
    clock: overrides.clock ?? systemClock,
    payments: overrides.payments ?? (stripe ? stripePayments(stripe.client) : offlinePayments()),
  }
  registerBookingRoutes(app, deps)
  registerWebhookRoutes(app, deps, stripe)
  registerPaymentRoutes(app, deps, stripe)
  registerCalendarRoutes(app, deps, config.SERVICE_TOKEN)
  // Ratings, reputation, ledger and time credits; reacts to completions through this service's own feed.
  registerRatings(app, deps, config)

  let syncListings = async () => {}
  if (config.RUN_WORKERS) {
    const consumer = startConsumer({
      db,
      name: 'bookings.listings',
      source: overrides.listingsFeed ?? { url: config.LISTINGS_URL, token: config.SERVICE_TOKEN },
      handle: applyListingEvent,
      registry: app.metrics.registry,
      log: app.log,
    })
    const timers = startTimerWorker(deps, { intervalMs: config.TIMER_POLL_MS, log: app.log })
    syncListings = () => consumer.drain()
    // Registered after the db's onClose hook, so (hooks run in reverse) they stop before the pool closes.
    app.addHook('onClose', async () => {
      await Promise.all([consumer.stop(), timers.stop()])
    })
  }
  app.decorate('bookings', { deps, syncListings: () => syncListings(), runDueTimers: () => runDueTimers(deps) })
  return app
}
