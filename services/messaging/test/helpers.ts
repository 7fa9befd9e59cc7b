import { randomUUID } from 'node:crypto'
import { type Actor, BOOKINGS_EVENTS, type BookingStatus, LISTINGS_EVENTS, type NeedFields } from '@commons/contracts'
import { appOnStandInFeeds, migrateStandInFeeds, type NewEvent } from '@commons/db'
import { type App, parseConfig } from '@commons/service-kit'
import {
  publishedVenue,
  serviceTestEnv,
  TEST_SERVICE_TOKEN,
  TestClock,
  testDatabase,
  testTokens,
} from '@commons/testkit'
import type { Test } from 'tap'
import { buildApp, type MessagingOverrides, migrate } from '../src/app.ts'
import { MessagingConfig } from '../src/config.ts'

export const SERVICE_TOKEN = TEST_SERVICE_TOKEN

export { TestClock }

const keys = await testTokens()

/** An access token as listings would issue it, newer than anything the access replica has seen. */
export const tokenFor = (actor: Partial<Actor> & { userId: string }): Promise<string> => keys.sign(actor)

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

/** A person with a token. */
export interface Person {
  userId: string
  name: string
  token: string
  headers: { authorization: string }
}

export async function person(name: string, extra: Partial<Actor> = {}): Promise<Person> {
  const userId = randomUUID()
  const token = await tokenFor({ userId, ...extra })
  return { userId, name, token, headers: bearer(token) }
}

export interface BookingFacts {
  id: string
  listingId: string
  providerOrganizationId: string
  requesterOrganizationId: string
  requesterUserId: string
  start: string
  end: string
  version: number
}

export interface Harness {
  app: App
  clock: TestClock
  databaseUrl: string
  /** Appends events to the stand-in listings feed and waits until messaging applied them. */
  listings(...events: NewEvent[]): Promise<void>
  bookings(...events: NewEvent[]): Promise<void>
  /** Appends events to the stand-in community feed and waits until messaging applied them. */
  community(...events: NewEvent[]): Promise<void>
  /** An organization with its members (role by person). */
  organization(
    name: string,
    members: Array<[Person, 'owner' | 'admin' | 'member']>,
    opts?: { verified?: boolean },
  ): Promise<string>
  /** A published listing of `organizationId`. */
  listing(organizationId: string, title?: string): Promise<string>
  /** A booking moved to `status` (its version grows with each call). */
  booking(b: BookingFacts, status: BookingStatus): Promise<BookingFacts>
  /** An open venue need; by default one the helper's listing fits (2 h in its hours, 10 days ahead). */
  need(organizationId: string, title?: string, fields?: Partial<NeedFields>): Promise<string>
}

const orgVersions = new Map<string, number>()

/**
 * A messaging app on a fresh database, fed from `listings` and `bookings` outboxes in the same database
 * (the real consumers with function sources), with a test clock and locally signed tokens.
 */
export async function testApp(
  t: Test,
  opts: { now?: string; env?: Record<string, string>; overrides?: MessagingOverrides } = {},
): Promise<Harness> {
  const databaseUrl = await testDatabase(t, {
    template: 'messaging',
    prepare: async (url) => {
      await migrate({ DATABASE_URL: url })
      await migrateStandInFeeds(url, ['listings', 'bookings', 'community'])
    },
  })
  const clock = new TestClock(new Date(opts.now ?? '2026-12-01T02:00:00Z'))
  const config = parseConfig(MessagingConfig, {
    ...serviceTestEnv(databaseUrl),
    PUBLIC_URL: 'https://commons.example',
    ...opts.env,
  })
  const { app, producers } = await appOnStandInFeeds(t, databaseUrl, ['listings', 'bookings', 'community'], (feeds) =>
    buildApp(config, { keys: keys.jwks, clock, feeds, startJobRunner: false, ...opts.overrides }),
  )
  const emitTo =
    (schema: 'listings' | 'bookings' | 'community') =>
    async (...events: NewEvent[]) => {
      await producers.append(schema, ...events)
      await app.messaging.syncFeeds()
    }
  const listings = emitTo('listings')
  const bookings = emitTo('bookings')
  const community = emitTo('community')
  const now = '2026-11-01T00:00:00Z'
  return {
    app,
    clock,
    databaseUrl,
    listings,
    bookings,
    community,
    async organization(name, members, o = {}) {
      const id = randomUUID()
      const version = (orgVersions.get(id) ?? 0) + 1
      orgVersions.set(id, version)
      const organization = {
        id,
        name,
        kind: 'residents_committee' as const,
        district: '浦东新区',
        city: '上海',
        description: '',
        verified: o.verified ?? false,
        version,
        createdAt: now,
        updatedAt: now,
      }
      await listings(
        { type: LISTINGS_EVENTS.organizationUpdated, entityId: id, version, payload: { organization } },
        {
          type: LISTINGS_EVENTS.organizationMembers,
          entityId: id,
          version: 1,
          payload: {
            organizationId: id,
            members: members.map(([p, role]) => ({ userId: p.userId, displayName: p.name, role })),
          },
        },
      )
      return id
    },
    async listing(organizationId, title = '社区活动室') {
      const id = randomUUID()
      await listings({
        type: LISTINGS_EVENTS.listingPublished,
        entityId: id,
        version: 2,
        payload: {
          listing: publishedVenue({ id, organizationId, title }),
          organization: { id: organizationId, name: '', kind: 'other', verified: false },
        },
      })
      return id
    },
    async booking(b, status) {
      const next = { ...b, version: b.version + 1 }
      await bookings({
        type: BOOKINGS_EVENTS.bookingChanged,
        entityId: b.id,
        version: next.version,
        payload: {
          booking: {
            id: b.id,
            listingId: b.listingId,
            listingKind: 'venue',
            providerOrganizationId: b.providerOrganizationId,
            requesterOrganizationId: b.requesterOrganizationId,
            requesterUserId: b.requesterUserId,
            status,
            holdsSlot: ['requested', 'confirmed', 'completed'].includes(status),
            start: b.start,
            end: b.end,
            bufferMinutes: 0,
            attendees: 10,
            version: next.version,
          },
        },
      })
      return next
    },
    async need(organizationId, title = '需要一个能容纳 30 人的活动室', fields = {}) {
      const id = randomUUID()
      await listings({
        type: LISTINGS_EVENTS.needOpened,
        entityId: id,
        version: 1,
        payload: {
          need: {
            id,
            organizationId,
            kind: 'venue',
            title,
            description: '',
            tags: [],
            city: '上海',
            district: '浦东新区',
            window: { start: '2026-12-10T01:00:00Z', end: '2026-12-10T03:00:00Z' },
            ...fields,
            status: 'open',
            version: 1,
            createdAt: now,
            updatedAt: now,
          },
        },
      })
      return id
    },
  }
}

/** Two organizations, a listing of the provider and a requested booking, with the people of each side. */
export async function bookingScene(h: Harness) {
  const [booker, colleague, providerAdmin, providerMember, outsider] = await Promise.all([
    person('王小明'),
    person('李华'),
    person('张主任'),
    person('赵志愿'),
    person('路人甲'),
  ])
  const requesterOrg = await h.organization('阳光社区居委会', [
    [booker, 'member'],
    [colleague, 'admin'],
  ])
  const providerOrg = await h.organization('浦东党群服务中心', [
    [providerAdmin, 'owner'],
    [providerMember, 'member'],
  ])
  const listingId = await h.listing(providerOrg, '二楼多功能厅')
  let booking: BookingFacts = {
    id: randomUUID(),
    listingId,
    providerOrganizationId: providerOrg,
    requesterOrganizationId: requesterOrg,
    requesterUserId: booker.userId,
    start: '2026-12-05T02:00:00Z',
    end: '2026-12-05T04:00:00Z',
    version: 0,
  }
  booking = await h.booking(booking, 'requested')
  return { booker, colleague, providerAdmin, providerMember, outsider, requesterOrg, providerOrg, listingId, booking }
}
