import { createDb, type FeedSource, migrateToLatest, ping, registerFeedRoute, startConsumer } from '@commons/db'
import { type App, buildService } from '@commons/service-kit'
import { registerAuthRoutes } from './auth/auth.routes.ts'
import type { AuthDeps } from './auth/auth.service.ts'
import { TokenKeys } from './auth/keys.ts'
import { devLogSms, type SmsChannel } from './auth/sms.ts'
import type { ListingsConfig } from './config.ts'
import { registerContactRoutes } from './contacts/contacts.routes.ts'
import { migrations } from './db/migrations/index.ts'
import type { DB } from './db/schema.ts'
import { type Clock, type ListingsDeps, systemClock } from './deps.ts'
import { registerHierarchyRoutes } from './hierarchy/hierarchy.routes.ts'
import { registerListingRoutes } from './listings/listings.routes.ts'
import { registerModerationRoutes } from './moderation/moderation.routes.ts'
import { registerNeedRoutes } from './needs/needs.routes.ts'
import { applyCommunityEvent } from './needs/survey-needs.ts'
import { registerOrganizationRoutes } from './organizations/organizations.routes.ts'
import { createPhotoStorage } from './photos/photo-storage.ts'
import { registerPhotoRoutes } from './photos/photos.routes.ts'

/** The Postgres schema this service owns. */
export const SCHEMA = 'listings'

/** Applies the listings schema's migrations. */
export async function migrate(config: Pick<ListingsConfig, 'DATABASE_URL'>): Promise<void> {
  const db = createDb<DB>({ url: config.DATABASE_URL, schema: SCHEMA, poolMax: 1 })
  try {
    await migrateToLatest(db, { schema: SCHEMA, migrations })
  } finally {
    await db.destroy()
  }
}

/** What tests and tools may put in place of the production parts. */
export interface ListingsOverrides {
  /** Where the service log goes (tests read the development SMS channel's messages from it). */
  logStream?: { write(line: string): void }
  /** A text message provider; without one, codes go to the log outside production and nowhere in it. */
  sms?: SmsChannel
  /** Where the time comes from (tests move it). */
  clock?: Clock

  /** The community feed (default: COMMUNITY_URL with the service token). */
  communityFeed?: FeedSource
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Listings' background work, reachable for tests. */
    listings: {
      /** Resolves once needs raised from surveys on the community feed are on the board (RUN_WORKERS only). */
      syncCommunity(): Promise<void>
    }
  }
}

/** Builds the listings service: accounts, organizations, listings, needs and moderation. */
export async function buildApp(config: ListingsConfig, overrides: ListingsOverrides = {}): Promise<App> {
  const db = createDb<DB>({ url: config.DATABASE_URL, schema: SCHEMA, applicationName: 'listings' })
  const keys = new TokenKeys(db)
  const app = await buildService({
    name: 'listings',
    config,
    description: 'Accounts, organizations, listings, needs, moderation',
    keys: keys.keySource(),
    ...(overrides.logStream ? { logStream: overrides.logStream } : {}),
  })
  app.addHook('onClose', () => db.destroy())
  app.readinessChecks.set('database', () => ping(db))

  const deps: ListingsDeps = { db, clock: overrides.clock ?? systemClock, config }
  const auth: AuthDeps = {
    db,
    clock: deps.clock,
    keys,
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
    // Codes are never written to a log in production: there, phone sign-in needs a real provider.
    sms: overrides.sms ?? (config.NODE_ENV === 'production' ? undefined : devLogSms(app.log)),
    phoneCodeResendSeconds: config.PHONE_CODE_RESEND_SECONDS,
    loginThrottle: {
      freeAttempts: config.LOGIN_FREE_ATTEMPTS,
      baseLockSeconds: config.LOGIN_LOCK_BASE_SECONDS,
      maxLockSeconds: config.LOGIN_LOCK_MAX_SECONDS,
      windowSeconds: 24 * 3600,
    },
  }
  registerFeedRoute(app, { db, serviceToken: config.SERVICE_TOKEN })
  registerAuthRoutes(app, auth, { authRateLimitMax: config.AUTH_RATE_LIMIT_MAX })
  registerOrganizationRoutes(app, auth)
  registerListingRoutes(app, deps)
  registerNeedRoutes(app, deps)
  registerModerationRoutes(app, deps)
  registerContactRoutes(app, deps)

  const storage = createPhotoStorage(config)
  app.addHook('onClose', () => storage.close?.())
  await registerPhotoRoutes(app, { db, storage })

  registerHierarchyRoutes(app, deps)

  let syncCommunity = async () => {}
  if (config.RUN_WORKERS) {
    const community = startConsumer({
      db,
      name: 'listings.community',
      source: overrides.communityFeed ?? { url: config.COMMUNITY_URL, token: config.SERVICE_TOKEN },
      handle: (trx, event) => applyCommunityEvent(trx, event),
      registry: app.metrics.registry,
      log: app.log,
    })
    syncCommunity = () => community.drain()
    // Registered after the db's onClose hook, so (hooks run in reverse) it stops before the pool closes.
    app.addHook('onClose', () => community.stop())
  }
  app.decorate('listings', { syncCommunity: () => syncCommunity() })
  return app
}
