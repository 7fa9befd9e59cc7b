import type { App } from '@commons/service-kit'
import type { Kysely } from 'kysely'
import { ping } from './database.ts'
import { registerFeedRoute } from './feed.ts'

/**
 * Gives a service's app its database: the pool closes with the app (after everything registered later,
 * since close hooks run in reverse), `/ready` checks it, and the service's feed is served from it.
 */
export function attachDatabase<DB>(app: App, db: Kysely<DB>, opts: { serviceToken: string }): void {
  app.addHook('onClose', () => db.destroy())
  app.readinessChecks.set('database', () => ping(db))
  registerFeedRoute(app, { db, serviceToken: opts.serviceToken })
}
