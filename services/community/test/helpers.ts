import { randomUUID } from 'node:crypto'
import type { Actor } from '@commons/contracts'
import { appOnStandInFeeds, migrateStandInFeeds, type NewEvent } from '@commons/db'
import { type App, parseConfig } from '@commons/service-kit'
import { serviceTestEnv, TEST_SERVICE_TOKEN, TestClock, testDatabase, testTokens } from '@commons/testkit'
import type { Test } from 'tap'
import { buildApp, type CommunityOverrides, migrate } from '../src/app.ts'
import { CommunityConfig } from '../src/config.ts'

export const SERVICE_TOKEN = TEST_SERVICE_TOKEN

export { TestClock }

const keys = await testTokens()

/** An access token as listings would issue it (newer than anything the access replica has seen). */
export const tokenFor = (actor: Partial<Actor> = {}): Promise<string> => keys.sign(actor)

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
      await migrateStandInFeeds(url, ['listings', 'bookings'])
    },
  })
  const clock = new TestClock(new Date(opts.now ?? '2026-12-01T00:00:00Z'))
  const config = parseConfig(CommunityConfig, {
    ...serviceTestEnv(databaseUrl),
    LOG_LEVEL: process.env.COMMUNITY_TEST_LOG ?? 'silent',
    ...opts.env,
  })
  const { app, producers } = await appOnStandInFeeds(t, databaseUrl, ['listings', 'bookings'], (feeds) =>
    buildApp(config, { keys: keys.jwks, clock, feeds, startJobRunner: false, ...opts.overrides }),
  )
  const emitTo = (schema: 'listings' | 'bookings') => async (event: NewEvent) => {
    await producers.append(schema, event)
    await app.community.syncFeeds()
  }
  return { app, clock, databaseUrl, emitListings: emitTo('listings'), emitBookings: emitTo('bookings') }
}
