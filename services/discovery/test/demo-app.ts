import { createDb, migrateToLatest, readFeed } from '@commons/db'
import { type DemoSummary, loadDemoData } from '@commons/demo'
import { type ListingsDB, migrate as migrateListings } from '@commons/listings'
import { type App, parseConfig } from '@commons/service-kit'
import { testDatabase, testMeili } from '@commons/testkit'
import type { Kysely } from 'kysely'
import { buildApp, migrate } from '../src/app.ts'
import { DiscoveryConfig } from '../src/config.ts'
import { SERVICE_TOKEN, signer } from './helpers.ts'

/** Discovery's schema next to the real listings service's, and an empty bookings outbox. */
async function prepare(url: string) {
  await migrate({ DATABASE_URL: url })
  await migrateListings({ DATABASE_URL: url })
  const bookings = createDb({ url, schema: 'bookings', poolMax: 1 })
  await migrateToLatest(bookings, { schema: 'bookings', migrations: {} }).finally(() => bookings.destroy())
}

type Tap = Parameters<typeof testDatabase>[0]

/**
 * The demo marketplace as discovery sees it: the demo data loaded through the real listings service,
 * then indexed from the listings feed until the index has caught up.
 */
export async function demoDiscovery(
  t: Tap,
  options: { logLevel?: string } = {},
): Promise<{ app: App; listingsDb: Kysely<ListingsDB>; summary: DemoSummary }> {
  const url = await testDatabase(t, { template: 'discovery-demo', prepare })
  const meili = await testMeili(t)
  const listingsDb = createDb<ListingsDB>({ url, schema: 'listings', poolMax: 3 })
  t.teardown(() => listingsDb.destroy())
  const summary = await loadDemoData(listingsDb)

  const config = parseConfig(DiscoveryConfig, {
    LOG_LEVEL: options.logLevel ?? 'silent',
    DATABASE_URL: url,
    SERVICE_TOKEN,
    MEILI_URL: meili.url,
    MEILI_MASTER_KEY: meili.key,
    MEILI_INDEX_PREFIX: meili.prefix,
    FEED_POLL_INTERVAL_MS: '20',
    RATE_LIMIT_MAX: '100000',
  })
  const app = await buildApp(config, {
    keys: (await signer()).keys,
    feeds: {
      listings: (after, limit) => readFeed(listingsDb, { after, limit }),
      bookings: async () => ({ events: [], next: null }),
      community: async () => ({ events: [], next: null }),
    },
  })
  t.teardown(() => app.close())
  await app.indexWorkers!.drain()
  return { app, listingsDb, summary }
}
