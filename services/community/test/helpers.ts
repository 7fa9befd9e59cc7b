import { randomUUID } from 'node:crypto'
import { type Actor, TOKEN_AUDIENCE, TOKEN_ISSUER } from '@commons/contracts'
import { appendEvent, createDb, migrateToLatest, type NewEvent, readFeed } from '@commons/db'
import { type App, parseConfig } from '@commons/service-kit'
import { testDatabase } from '@commons/testkit'
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose'
import type { Kysely } from 'kysely'
import type { Test } from 'tap'
import { buildApp, type CommunityOverrides, migrate } from '../src/app.ts'
import { CommunityConfig } from '../src/config.ts'

/** Token versions one ahead of an empty access replica: the token's roles and moderator flag count. */
const fresh = (roles: Record<string, unknown> = {}) => ({
  av: 1,
  ov: Object.fromEntries(Object.keys(roles).map((org) => [org, 1])),
})

export const SERVICE_TOKEN = 's'.repeat(40)

/** A clock the test moves by hand. */
export class TestClock {
  constructor(public current: Date) {}
  now = () => this.current
  set(at: string | Date) {
    this.current = new Date(at)
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms)
  }
}

const keys = await (async () => {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' })
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test', alg: 'EdDSA', use: 'sig' }
  return { privateKey, jwks: createLocalJWKSet({ keys: [jwk] }) }
})()

/** An access token as listings would issue it. */
export async function tokenFor(actor: Partial<Actor> = {}): Promise<string> {
  // As listings signs a token just after a change: newer than anything the access replica has seen, so its
  // claims count until the test sends the replica a newer snapshot (a removal, a revoke).
  return new SignJWT({ orgs: actor.roles ?? {}, mod: actor.moderator ?? false, ...fresh(actor.roles) })
    .setProtectedHeader({ alg: 'EdDSA', kid: 'test' })
    .setSubject(actor.userId ?? randomUUID())
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(keys.privateKey)
}

/** A signed-in person: their id and a bearer header. */
export interface Person {
  userId: string
  token: string
  headers: { authorization: string }
}

/** Signs a person in with the given roles (organization id -> role) and moderator flag. */
export async function person(actor: Partial<Actor> = {}): Promise<Person> {
  const userId = actor.userId ?? randomUUID()
  const token = await tokenFor({ ...actor, userId })
  return { userId, token, headers: { authorization: `Bearer ${token}` } }
}

export interface Harness {
  app: App
  clock: TestClock
  databaseUrl: string
  /** Appends events to the stand-in listings / bookings feeds and waits for community's replicas. */
  emitListings(event: NewEvent): Promise<void>
  emitBookings(event: NewEvent): Promise<void>
}

/**
 * A community app on a fresh database, its replicas fed from `listings` and `bookings` outboxes in the same
 * database (the real consumer with a function source), with a test clock and locally signed tokens.
 */
export async function testApp(
  t: Test,
  opts: { now?: string; overrides?: CommunityOverrides; env?: Record<string, string> } = {},
): Promise<Harness> {
  const databaseUrl = await testDatabase(t, {
    template: 'community',
    prepare: async (url) => {
      await migrate({ DATABASE_URL: url })
      for (const schema of ['listings', 'bookings']) {
        const db = createDb({ url, schema, poolMax: 1 })
        try {
          await migrateToLatest(db, { schema, migrations: {} })
        } finally {
          await db.destroy()
        }
      }
    },
  })
  const listingsDb = createDb<unknown>({ url: databaseUrl, schema: 'listings', poolMax: 2 })
  const bookingsDb = createDb<unknown>({ url: databaseUrl, schema: 'bookings', poolMax: 2 })
  const clock = new TestClock(new Date(opts.now ?? '2026-12-01T00:00:00Z'))
  const config = parseConfig(CommunityConfig, {
    LOG_LEVEL: process.env.COMMUNITY_TEST_LOG ?? 'silent',
    DATABASE_URL: databaseUrl,
    SERVICE_TOKEN,
    RUN_WORKERS: 'true',
    JOB_POLL_MS: '60000',
    RATE_LIMIT_MAX: '100000',
    ...opts.env,
  })
  const app = await buildApp(config, {
    keys: keys.jwks,
    clock,
    feeds: {
      listings: (after, limit) => readFeed(listingsDb, { after, limit }),
      bookings: (after, limit) => readFeed(bookingsDb, { after, limit }),
    },
    startJobRunner: false,
    ...opts.overrides,
  })
  t.teardown(async () => {
    await app.close()
    await Promise.all([listingsDb.destroy(), bookingsDb.destroy()])
  })
  const emitTo = (db: Kysely<unknown>) => async (event: NewEvent) => {
    await db.transaction().execute((trx) => appendEvent(trx, event))
    await app.community.syncFeeds()
  }
  return { app, clock, databaseUrl, emitListings: emitTo(listingsDb), emitBookings: emitTo(bookingsDb) }
}
