import { createDb, migrateToLatest, ping, registerFeedRoute } from '@commons/db'
import { type App, buildService, remoteKeys } from '@commons/service-kit'
import type { BookingsConfig } from './config.ts'
import { migrations } from './db/migrations/index.ts'
import type { DB } from './db/schema.ts'

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

/** Builds the bookings service: accounts, organizations, bookings, needs and moderation. */
export async function buildApp(config: BookingsConfig): Promise<App> {
  const app = await buildService({
    name: 'bookings',
    config,
    keys: remoteKeys(config.JWKS_URL),
    description: 'Accounts, organizations, bookings, needs, moderation',
  })
  const db = createDb<DB>({ url: config.DATABASE_URL, schema: SCHEMA, applicationName: 'bookings' })
  app.addHook('onClose', () => db.destroy())
  app.readinessChecks.set('database', () => ping(db))
  registerFeedRoute(app, { db, serviceToken: config.SERVICE_TOKEN })
  return app
}
