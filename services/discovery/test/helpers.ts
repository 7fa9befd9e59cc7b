import {
  Activity,
  BOOKINGS_EVENTS,
  type BookingChangedPayload,
  COMMUNITY_EVENTS,
  LISTINGS_EVENTS,
  Listing,
  type ListingStatus,
  Need,
  type Organization,
  type OrganizationSummary,
} from '@commons/contracts'
import { appendEvent, createDb, type KitTables, migrateToLatest, newId, readFeed } from '@commons/db'
import { type App, parseConfig } from '@commons/service-kit'
import { testDatabase, testMeili } from '@commons/testkit'
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose'
import type { Kysely } from 'kysely'
import type { Test } from 'tap'
import { buildApp, type DiscoveryOverrides, migrate } from '../src/app.ts'
import { DiscoveryConfig } from '../src/config.ts'

/** Token versions one ahead of an empty access replica: the token's roles and moderator flag count. */
const fresh = (roles: Record<string, unknown> = {}) => ({
  av: 1,
  ov: Object.fromEntries(Object.keys(roles).map((org) => [org, 1])),
})

export const SERVICE_TOKEN = 's'.repeat(40)

/** Migrates discovery's schema and, as stand-ins for the producers, outboxes in `listings` and `bookings`. */
export async function prepareDatabase(url: string): Promise<void> {
  await migrate({ DATABASE_URL: url })
  for (const schema of ['listings', 'bookings', 'community']) {
    const db = createDb({ url, schema, poolMax: 1 })
    try {
      await migrateToLatest(db, { schema, migrations: {} })
    } finally {
      await db.destroy()
    }
  }
}

/** Signs access tokens that the app under test accepts. */
export interface Signer {
  keys: NonNullable<DiscoveryOverrides['keys']>
  token(claims: { sub: string; orgs?: Record<string, string>; mod?: boolean }): Promise<string>
}

export async function signer(): Promise<Signer> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' })
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test', alg: 'EdDSA' }
  return {
    keys: createLocalJWKSet({ keys: [jwk] }),
    token: (claims) =>
      new SignJWT({ orgs: claims.orgs ?? {}, mod: claims.mod ?? false, ...fresh(claims.orgs) })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'test' })
        .setSubject(claims.sub)
        .setIssuer('commons:listings')
        .setAudience('commons')
        .setIssuedAt()
        .setExpirationTime('15m')
        .sign(privateKey),
  }
}

export interface Harness {
  app: App
  databaseUrl: string
  meili: { url: string; key: string; prefix: string }
  listingsDb: Kysely<KitTables>
  bookingsDb: Kysely<KitTables>
  communityDb: Kysely<KitTables>
  signer: Signer
  /** Waits until every consumer applied everything appended so far. */
  sync(): Promise<void>
  env: Record<string, string>
}

/** The discovery app on a fresh database and index prefix, fed by outboxes the test appends to. */
export async function testApp(t: Test, env: Record<string, string> = {}): Promise<Harness> {
  const databaseUrl = await testDatabase(t, { template: 'discovery', prepare: prepareDatabase })
  const meili = await testMeili(t)
  const listingsDb = createDb<KitTables>({ url: databaseUrl, schema: 'listings', poolMax: 3 })
  const bookingsDb = createDb<KitTables>({ url: databaseUrl, schema: 'bookings', poolMax: 3 })
  const communityDb = createDb<KitTables>({ url: databaseUrl, schema: 'community', poolMax: 3 })
  t.teardown(async () => {
    await Promise.all([listingsDb.destroy(), bookingsDb.destroy(), communityDb.destroy()])
  })
  const fullEnv = {
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    SERVICE_TOKEN,
    MEILI_URL: meili.url,
    MEILI_MASTER_KEY: meili.key,
    MEILI_INDEX_PREFIX: meili.prefix,
    FEED_POLL_INTERVAL_MS: '20',
    RATE_LIMIT_MAX: '100000',
    ...env,
  }
  const config = parseConfig(DiscoveryConfig, fullEnv)
  const sign = await signer()
  const app = await buildApp(config, {
    keys: sign.keys,
    feeds: {
      listings: (after, limit) => readFeed(listingsDb, { after, limit }),
      bookings: (after, limit) => readFeed(bookingsDb, { after, limit }),
      community: (after, limit) => readFeed(communityDb, { after, limit }),
    },
  })
  t.teardown(() => app.close())
  return {
    app,
    databaseUrl,
    meili,
    listingsDb,
    bookingsDb,
    communityDb,
    signer: sign,
    sync: () => app.indexWorkers!.drain(),
    env: fullEnv,
  }
}

export function organization(overrides: Partial<OrganizationSummary> = {}): OrganizationSummary {
  return { id: newId(), name: '陆家嘴街道党群服务中心', kind: 'party_branch', verified: false, ...overrides }
}

type ListingInput = Record<string, unknown> & { organizationId?: string }

/** A valid published venue (by default) in 浦东新区, open every day 08:00-22:00 Asia/Shanghai. */
export function listing(overrides: ListingInput = {}): Listing {
  const id = (overrides.id as string) ?? newId()
  const now = new Date().toISOString()
  const allDay = [{ start: '08:00', end: '22:00' }]
  const base: Record<string, unknown> = {
    id,
    organizationId: newId(),
    status: 'published',
    version: 1,
    rejectionReason: null,
    createdAt: now,
    updatedAt: now,
    publishedAt: now,
    kind: 'venue',
    title: '社区会议室',
    description: '宽敞明亮的会议室，适合开会和培训',
    tags: ['会议'],
    location: { city: '上海', district: '浦东新区', address: '世纪大道100号', lat: 31.2304, lng: 121.4737 },
    pricing: { model: 'free' },
    rules: { minNoticeHours: 0, maxDurationMinutes: 480 },
    availability: {
      timezone: 'Asia/Shanghai',
      weekly: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
    },
    capacity: 30,
    amenities: ['projector', 'wifi'],
  }
  const merged = { ...base, ...overrides }
  if (merged.kind !== 'venue') {
    delete merged.amenities
    if (merged.kind === 'volunteer_time') delete merged.capacity
  }
  return Listing.parse(merged)
}

/** Appends `listing.published` with the listing's snapshot, in its own transaction. */
export async function publish(db: Kysely<KitTables>, l: Listing, org: Partial<OrganizationSummary> = {}) {
  const organizationSummary = organization({ id: l.organizationId, ...org })
  await db.transaction().execute((trx) =>
    appendEvent(trx, {
      type: LISTINGS_EVENTS.listingPublished,
      entityId: l.id,
      version: l.version,
      payload: { listing: l, organization: organizationSummary },
    }),
  )
}

export async function withdraw(db: Kysely<KitTables>, l: Listing, version: number, status: ListingStatus = 'paused') {
  await db.transaction().execute((trx) =>
    appendEvent(trx, {
      type: LISTINGS_EVENTS.listingWithdrawn,
      entityId: l.id,
      version,
      payload: { listingId: l.id, organizationId: l.organizationId, status, version },
    }),
  )
}

export async function updateOrganization(
  db: Kysely<KitTables>,
  org: Omit<Organization, 'logo' | 'districtCode'> & { logo?: string | null; districtCode?: string | null },
) {
  await db.transaction().execute((trx) =>
    appendEvent(trx, {
      type: LISTINGS_EVENTS.organizationUpdated,
      entityId: org.id,
      version: org.version,
      payload: { organization: org },
    }),
  )
}

export function need(overrides: Record<string, unknown> = {}): Need {
  const now = new Date().toISOString()
  return Need.parse({
    id: newId(),
    organizationId: newId(),
    status: 'open',
    version: 1,
    createdAt: now,
    updatedAt: now,
    kind: 'venue',
    title: '需要一间会议室开居民议事会',
    city: '上海',
    district: '浦东新区',
    window: { start: inHours(48), end: inHours(50) },
    attendees: 20,
    ...overrides,
  })
}

export async function openNeed(db: Kysely<KitTables>, n: Need) {
  await db
    .transaction()
    .execute((trx) =>
      appendEvent(trx, { type: LISTINGS_EVENTS.needOpened, entityId: n.id, version: n.version, payload: { need: n } }),
    )
}

export async function closeNeed(db: Kysely<KitTables>, n: Need, version: number) {
  await db.transaction().execute((trx) =>
    appendEvent(trx, {
      type: LISTINGS_EVENTS.needClosed,
      entityId: n.id,
      version,
      payload: { needId: n.id, status: 'closed', version },
    }),
  )
}

export async function bookingChanged(db: Kysely<KitTables>, booking: BookingChangedPayload['booking']) {
  await db.transaction().execute((trx) =>
    appendEvent(trx, {
      type: BOOKINGS_EVENTS.bookingChanged,
      entityId: booking.id,
      version: booking.version,
      payload: { booking },
    }),
  )
}

export async function reputationUpdated(
  db: Kysely<KitTables>,
  listingId: string,
  average: number,
  count: number,
  version: number,
) {
  await db.transaction().execute((trx) =>
    appendEvent(trx, {
      type: BOOKINGS_EVENTS.reputationUpdated,
      entityId: listingId,
      version,
      // The scores' spread does not matter to search, which ranks by the Bayesian average alone.
      payload: {
        subject: 'listing',
        id: listingId,
        average,
        count,
        mean: count > 0 ? average : null,
        distribution: { 1: 0, 2: 0, 3: 0, 4: 0, 5: count },
      },
    }),
  )
}

/** An instant `hours` from now, on a whole hour (Asia/Shanghai has whole-hour offsets). */
export function inHours(hours: number): string {
  const t = new Date(Date.now() + hours * 3_600_000)
  t.setUTCMinutes(0, 0, 0)
  return t.toISOString()
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

/** GET /v1/search with a query object. */
export async function search(app: App, query: Record<string, string | string[]> = {}) {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) for (const item of [v].flat()) params.append(k, item)
  return app.inject({ method: 'GET', url: `/v1/search?${params}` })
}

/** A valid published activity (an address in 浦东新区, for the elderly, with volunteer places). */
export function activity(overrides: Partial<Activity> = {}): Activity {
  const now = new Date().toISOString()
  return Activity.parse({
    id: newId(),
    organizationId: newId(),
    organizationName: '陆家嘴街道党群服务中心',
    title: '智能手机课堂',
    description: '志愿者手把手教老人用手机挂号、付款',
    category: 'training',
    targetGroups: ['elderly'],
    start: inHours(48),
    end: inHours(50),
    place: { kind: 'address', listingId: null, title: null, district: '浦东新区', address: '世纪大道100号' },
    capacity: 30,
    volunteerPlaces: 4,
    volunteerSkills: ['手机教学'],
    signUpDeadline: inHours(47),
    status: 'published',
    cancelReason: null,
    attendees: 0,
    volunteers: 0,
    waitlisted: 0,
    version: 2,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  })
}

/** Appends `activity.changed` as community does, in its own transaction. */
export async function activityChanged(db: Kysely<KitTables>, a: Activity, city: string | null = '上海') {
  await db.transaction().execute((trx) =>
    appendEvent(trx, {
      type: COMMUNITY_EVENTS.activityChanged,
      entityId: a.id,
      version: a.version,
      payload: { activity: a, city },
    }),
  )
}

/** Appends an organization's `scorecard.updated`. */
export async function scorecardUpdated(
  db: Kysely<KitTables>,
  organizationId: string,
  card: { badge: boolean; rectifying: boolean; version: number },
) {
  await db.transaction().execute((trx) =>
    appendEvent(trx, {
      type: COMMUNITY_EVENTS.scorecardUpdated,
      entityId: organizationId,
      version: card.version,
      payload: { subject: 'organization', id: organizationId, average: 4.5, count: 12, ...card },
    }),
  )
}

export async function searchActivities(app: App, query: Record<string, string | string[]> = {}) {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) for (const item of [v].flat()) params.append(k, item)
  return app.inject({ method: 'GET', url: `/v1/search/activities?${params}` })
}
