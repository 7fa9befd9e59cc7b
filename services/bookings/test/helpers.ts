import { randomUUID } from 'node:crypto'
import { type Actor, type BookingRules, LISTINGS_EVENTS, type Listing, type Pricing } from '@commons/contracts'
import { appendEvent, createDb, migrateToLatest, type NewEvent, readFeed } from '@commons/db'
import type { App } from '@commons/service-kit'
import { parseConfig } from '@commons/service-kit'
import { publishedVenue, TestClock, testDatabase, testTokens } from '@commons/testkit'
import type { Kysely } from 'kysely'
import type { Test } from 'tap'
import { type BookingsOverrides, buildApp, migrate } from '../src/app.ts'
import { BookingsConfig } from '../src/config.ts'

export const SERVICE_TOKEN = 's'.repeat(40)
/** The schema standing in for the listings service: only its outbox, which the test writes events to. */
const LISTINGS_SCHEMA = 'listings'

export { TestClock }

const keys = await testTokens()

/** An access token as listings would issue it (newer than anything the access replica has seen). */
export const tokenFor = (actor: Partial<Actor> & { userId?: string }): Promise<string> => keys.sign(actor)

export interface Harness {
  app: App
  clock: TestClock
  databaseUrl: string
  listingsDb: Kysely<unknown>
  /** Publishes (or republishes) a listing through the listings feed and waits for the replica. */
  publish(listing: Listing): Promise<void>
  withdraw(listing: Listing, status: 'paused' | 'archived'): Promise<void>
  /** Appends any listings event and waits until bookings applied it. */
  emit(event: NewEvent): Promise<void>
}

/**
 * A bookings app on a fresh database, its listing replica fed from a `listings` outbox in the same database
 * (the real consumer with a function source), with a test clock and locally signed tokens.
 */
export async function testApp(
  t: Test,
  opts: { now?: string; overrides?: BookingsOverrides; env?: Record<string, string> } = {},
): Promise<Harness> {
  const databaseUrl = await testDatabase(t, {
    template: 'bookings',
    prepare: async (url) => {
      await migrate({ DATABASE_URL: url })
      const db = createDb({ url, schema: LISTINGS_SCHEMA, poolMax: 1 })
      try {
        await migrateToLatest(db, { schema: LISTINGS_SCHEMA, migrations: {} })
      } finally {
        await db.destroy()
      }
    },
  })
  const listingsDb = createDb<unknown>({ url: databaseUrl, schema: LISTINGS_SCHEMA, poolMax: 2 })
  const clock = new TestClock(new Date(opts.now ?? '2026-11-21T00:00:00Z'))
  const config = parseConfig(BookingsConfig, {
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    SERVICE_TOKEN,
    RUN_WORKERS: 'true',
    // Tests run timers explicitly with app.bookings.runDueJobs(); the worker polls rarely.
    TIMER_POLL_MS: '60000',
    RATE_LIMIT_MAX: '100000',
    // Files book freely under one requester; the caps have a test of their own that sets them low.
    BOOKING_LIMIT_PER_MEMBER: '100000',
    BOOKING_LIMIT_PER_ORGANIZATION_LISTING: '100000',
    ...opts.env,
  })
  const app = await buildApp(config, {
    keys: keys.jwks,
    clock,
    listingsFeed: (after, limit) => readFeed(listingsDb, { after, limit }),
    // The runner goes by the database's clock; tests run due jobs by theirs with app.bookings.runDueJobs().
    startJobRunner: false,
    ...opts.overrides,
  })
  t.teardown(async () => {
    await app.close()
    await listingsDb.destroy()
  })
  const emit = async (event: NewEvent) => {
    await listingsDb.transaction().execute((trx) => appendEvent(trx, event))
    await app.bookings.syncListings()
  }
  return {
    app,
    clock,
    databaseUrl,
    listingsDb,
    emit,
    publish: (listing) =>
      emit({
        type: LISTINGS_EVENTS.listingPublished,
        entityId: listing.id,
        version: listing.version,
        payload: {
          listing,
          organization: {
            id: listing.organizationId,
            name: '某社区党群服务中心',
            kind: 'party_branch',
            verified: true,
          },
        },
      }),
    withdraw: (listing, status) =>
      emit({
        type: LISTINGS_EVENTS.listingWithdrawn,
        entityId: listing.id,
        version: listing.version,
        payload: { listingId: listing.id, organizationId: listing.organizationId, status, version: listing.version },
      }),
  }
}

/**
 * testkit's published venue (open 09:00-18:00 every day in Asia/Shanghai, free unless priced) under a new id,
 * of a new organization unless one is given.
 */
export function makeListing(
  over: { organizationId?: string; rules?: Partial<BookingRules>; pricing?: Pricing; capacity?: number } = {},
): Listing {
  return publishedVenue({
    ...over,
    id: randomUUID(),
    organizationId: over.organizationId ?? randomUUID(),
    title: '社区活动室',
  })
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

/** A feed event of the service, as `GET /v1/events` returns it. */
// biome-ignore lint/suspicious/noExplicitAny: payloads are checked field by field
export type FeedEvent = { type: string; entityId: string; version: number; payload: any }

/**
 * The service's own feed events about one entity, once at least `count` are there. The feed shows an event
 * only when no older transaction is still open (it is commit-ordered), and the app's workers open
 * transactions too, so the newest event can take a moment to appear.
 */
export async function feedEventsOf(app: App, entityId: string, count: number): Promise<FeedEvent[]> {
  let ours: FeedEvent[] = []
  for (let tries = 0; tries < 50 && ours.length < count; tries++) {
    if (tries > 0) await new Promise((resolve) => setTimeout(resolve, 100))
    const res = await app.inject({ method: 'GET', url: '/v1/events?limit=1000', headers: bearer('s'.repeat(40)) })
    ours = (res.json().events as FeedEvent[]).filter((e) => e.entityId === entityId)
  }
  return ours
}

/** A provider (owner of the listing's organization) and a requesting group's member, with tokens. */
export async function parties(listing: Listing) {
  const requesterOrg = randomUUID()
  const provider = { userId: randomUUID(), roles: { [listing.organizationId]: 'owner' as const } }
  const requester = { userId: randomUUID(), roles: { [requesterOrg]: 'member' as const } }
  return {
    requesterOrg,
    provider: { ...provider, token: await tokenFor(provider) },
    requester: { ...requester, token: await tokenFor(requester) },
    moderator: { token: await tokenFor({ moderator: true }) },
    stranger: { token: await tokenFor({ roles: { [randomUUID()]: 'owner' } }) },
  }
}

let keyCounter = 0

/** Books [start, end) (local Shanghai times like '2026-12-01T10:00') as the requester. */
export function book(
  app: App,
  token: string,
  body: { listingId: string; organizationId: string; start: string; end: string; attendees?: number },
  idempotencyKey = `key-${++keyCounter}-${randomUUID()}`,
) {
  const zoned = (s: string) => (/[zZ]|[+-]\d\d:\d\d$/.test(s) ? s : `${s}:00+08:00`)
  return app.inject({
    method: 'POST',
    url: '/v1/bookings',
    headers: { ...bearer(token), 'idempotency-key': idempotencyKey },
    payload: {
      listingId: body.listingId,
      organizationId: body.organizationId,
      start: zoned(body.start),
      end: zoned(body.end),
      attendees: body.attendees ?? 10,
      purpose: '党员学习活动',
    },
  })
}

/**
 * A published listing, its provider and requester, and one booking of it by the requester ([start, end) as
 * `book` takes them), checked to be created: how the tests of one booking's course begin.
 */
export async function bookedListing(t: Test, h: Harness, window: { start: string; end: string }) {
  const listing = makeListing()
  await h.publish(listing)
  const p = await parties(listing)
  const res = await book(h.app, p.requester.token, { listingId: listing.id, organizationId: p.requesterOrg, ...window })
  t.equal(res.statusCode, 201, res.body)
  return { listing, p, booking: res.json() }
}

/** Asks for a transition. */
export function act(app: App, token: string, id: string, action: string, reason?: string) {
  return app.inject({
    method: 'POST',
    url: `/v1/bookings/${id}/${action}`,
    headers: bearer(token),
    payload: reason ? { reason } : {},
  })
}
