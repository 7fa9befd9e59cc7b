import { Activity, COMMUNITY_EVENTS } from '@commons/contracts'
import { appendEvent, createDb, type KitTables, migrateToLatest, newId, readFeed } from '@commons/db'
import { DEMO_ACTIVITIES, DEMO_ORGANIZATIONS, type DemoSummary, loadDemoData } from '@commons/demo'
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
  const community = createDb({ url, schema: 'community', poolMax: 1 })
  await migrateToLatest(community, { schema: 'community', migrations: {} }).finally(() => community.destroy())
}

const DAY = 86_400_000

/** A demo activity as the relevance suite judges it: where it is held and by whom. */
export interface DemoActivity {
  id: string
  title: string
  city: string
  district: string
  organizationName: string
}

/**
 * Announces the demo activities (packages/demo) as community would, each on its own day from tomorrow on:
 * activity search finds upcoming activities only, and the demo's held ones are judged by their words too.
 */
async function announceDemoActivities(db: Kysely<KitTables>): Promise<DemoActivity[]> {
  const cities = new Map(DEMO_ORGANIZATIONS.map((o) => [o.name, o.city]))
  const judged: DemoActivity[] = []
  for (const [i, spec] of DEMO_ACTIVITIES.entries()) {
    const start = Date.now() + (i + 1) * DAY
    const now = new Date().toISOString()
    const activity = Activity.parse({
      id: newId(),
      organizationId: newId(),
      organizationName: spec.host,
      title: spec.title,
      description: spec.description,
      category: spec.category,
      targetGroups: spec.targetGroups,
      start: new Date(start).toISOString(),
      end: new Date(start + spec.hours * 3_600_000).toISOString(),
      place: { kind: 'address', listingId: null, title: null, district: spec.district, address: spec.address },
      capacity: spec.capacity,
      volunteerPlaces: spec.volunteerPlaces,
      volunteerSkills: spec.volunteerSkills ?? [],
      signUpDeadline: new Date(start - 3_600_000).toISOString(),
      status: 'published',
      cancelReason: null,
      attendees: 0,
      volunteers: 0,
      waitlisted: 0,
      version: 2,
      createdAt: now,
      updatedAt: now,
    })
    const city = cities.get(spec.host) ?? null
    await db.transaction().execute((trx) =>
      appendEvent(trx, {
        type: COMMUNITY_EVENTS.activityChanged,
        entityId: activity.id,
        version: activity.version,
        payload: { activity, city },
      }),
    )
    judged.push({
      id: activity.id,
      title: spec.title,
      city: city ?? '',
      district: spec.district,
      organizationName: spec.host,
    })
  }
  return judged
}

type Tap = Parameters<typeof testDatabase>[0]

/**
 * The demo marketplace as discovery sees it: the demo data loaded through the real listings service and
 * the demo activities announced on a community feed, indexed until the index has caught up.
 */
export async function demoDiscovery(
  t: Tap,
  options: { logLevel?: string } = {},
): Promise<{
  app: App
  listingsDb: Kysely<ListingsDB>
  communityDb: Kysely<KitTables>
  summary: DemoSummary
  activities: DemoActivity[]
}> {
  const url = await testDatabase(t, { template: 'discovery-demo-activities', prepare })
  const meili = await testMeili(t)
  const listingsDb = createDb<ListingsDB>({ url, schema: 'listings', poolMax: 3 })
  const communityDb = createDb<KitTables>({ url, schema: 'community', poolMax: 2 })
  t.teardown(() => Promise.all([listingsDb.destroy(), communityDb.destroy()]))
  const summary = await loadDemoData(listingsDb)
  const activities = await announceDemoActivities(communityDb)

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
      community: (after, limit) => readFeed(communityDb, { after, limit }),
    },
  })
  t.teardown(() => app.close())
  await app.indexWorkers!.drain()
  return { app, listingsDb, communityDb, summary, activities }
}
