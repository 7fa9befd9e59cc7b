import { randomBytes, randomUUID } from 'node:crypto'
import { type Actor, LISTINGS_EVENTS, Listing, TOKEN_AUDIENCE, TOKEN_ISSUER } from '@commons/contracts'
import { createDb } from '@commons/db'
import { type App, parseConfig } from '@commons/service-kit'
import { databaseUrlFor, dropDatabase } from '@commons/testkit'
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose'
import { sql } from 'kysely'
import { buildApp, migrate } from '../src/app.ts'
import { BookingsConfig } from '../src/config.ts'
import { applyListingEvent } from '../src/listings/replica.ts'

/** Token versions one ahead of an empty access replica: the token's roles and moderator flag count. */
const fresh = (roles: Record<string, unknown> = {}) => ({
  av: 1,
  ov: Object.fromEntries(Object.keys(roles).map((org) => [org, 1])),
})

/** "Now" of every benchmark: bookings go into December 2026. */
export const BENCH_NOW = new Date('2026-11-21T00:00:00Z')

/** A bookings app on a fresh, migrated database of its own, with locally signed tokens and a fixed clock. */
export async function benchApp(adminUrl: string) {
  const name = `bench_bookings_${randomBytes(4).toString('hex')}`
  const admin = createDb<unknown>({ url: adminUrl, schema: 'public', poolMax: 1 })
  await sql`create database ${sql.id(name)}`.execute(admin)
  await admin.destroy()
  const databaseUrl = databaseUrlFor(adminUrl, name)
  await migrate({ DATABASE_URL: databaseUrl })
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' })
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'EdDSA' }
  const config = parseConfig(BookingsConfig, {
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    SERVICE_TOKEN: 'b'.repeat(40),
    RUN_WORKERS: 'false',
    RATE_LIMIT_MAX: '100000000',
    // One requester books the whole run; the caps on upcoming bookings are not what is measured.
    BOOKING_LIMIT_PER_MEMBER: '100000',
    BOOKING_LIMIT_PER_ORGANIZATION_LISTING: '100000',
  })
  const app = await buildApp(config, { keys: createLocalJWKSet({ keys: [jwk] }), clock: { now: () => BENCH_NOW } })
  const token = (actor: Actor) =>
    new SignJWT({ orgs: actor.roles, mod: actor.moderator, ...fresh(actor.roles) })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'bench' })
      .setSubject(actor.userId)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setExpirationTime('2h')
      .sign(privateKey)
  return {
    app,
    databaseUrl,
    token,
    async close() {
      await app.close()
      await dropDatabase(adminUrl, name)
    },
  }
}

/** Puts a published listing into the replica through the same handler the feed consumer uses. */
export async function seedListing(
  app: App,
  weekly: { start: string; end: string },
  rules: Record<string, unknown> = {},
) {
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
  const listing = Listing.parse({
    kind: 'venue',
    title: '基准测试活动室',
    location: { city: '上海', district: '浦东新区', address: '世纪大道 1 号', lat: 31.2, lng: 121.5 },
    capacity: 100,
    rules: {
      mode: 'request',
      slotMinutes: 60,
      minDurationMinutes: 60,
      maxDurationMinutes: 240,
      minNoticeHours: 0,
      maxAdvanceDays: 365,
      bufferMinutes: 0,
      ...rules,
    },
    availability: { timezone: 'Asia/Shanghai', weekly: Object.fromEntries(days.map((d) => [d, [weekly]])) },
    id: randomUUID(),
    organizationId: randomUUID(),
    status: 'published',
    version: 1,
    rejectionReason: null,
    createdAt: '2026-11-01T00:00:00Z',
    updatedAt: '2026-11-01T00:00:00Z',
    publishedAt: '2026-11-01T00:00:00Z',
  })
  await app.bookings.deps.db.transaction().execute((trx) =>
    applyListingEvent(
      trx,
      {
        cursor: '0:0',
        type: LISTINGS_EVENTS.listingPublished,
        entityId: listing.id,
        version: listing.version,
        occurredAt: new Date().toISOString(),
        payload: { listing, organization: { id: listing.organizationId, name: '基准', kind: 'other', verified: true } },
      },
      BENCH_NOW,
    ),
  )
  return listing
}

/** A member of a fresh requesting organization. */
export function requester() {
  const organizationId = randomUUID()
  return {
    organizationId,
    actor: { userId: randomUUID(), roles: { [organizationId]: 'member' as const }, moderator: false },
  }
}
