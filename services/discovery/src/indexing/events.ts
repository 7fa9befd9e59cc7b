import {
  ActivityChangedPayload,
  BOOKINGS_EVENTS,
  BookingChangedPayload,
  COMMUNITY_EVENTS,
  type FeedEvent,
  LISTINGS_EVENTS,
  ListingPublishedPayload,
  ListingWithdrawnPayload,
  NeedClosedPayload,
  NeedOpenedPayload,
  OrganizationUpdatedPayload,
  ReputationUpdatedPayload,
  ScorecardUpdatedPayload,
} from '@commons/contracts'
import { ACCESS_EVENT_TYPES, applyAccessEvent } from '@commons/db'
import type { Transaction } from 'kysely'
import type { z } from 'zod'
import type { DB } from '../db/schema.ts'
import type { Touched } from './indexer.ts'

/** The subset of a logger event handlers use. */
export interface EventLog {
  warn(obj: Record<string, unknown>, msg: string): void
}

/**
 * Applies one feed event to discovery's tables, each write guarded by the entity's version so a repeated
 * or older event changes nothing, and records which index entries to re-push. An event whose payload does
 * not match its contract is logged and skipped: blocking the feed on it would stop all search updates.
 */
export async function applyEvent(trx: Transaction<DB>, event: FeedEvent, touched: Touched, log?: EventLog) {
  const parse = <T extends z.ZodType>(schema: T): z.infer<T> | undefined => {
    const result = schema.safeParse(event.payload)
    if (!result.success) {
      log?.warn({ type: event.type, entityId: event.entityId, issues: result.error.issues }, 'event skipped')
      return undefined
    }
    return result.data
  }
  // Memberships and moderator grants: the access replica recommendations and every signed-in route use.
  if (ACCESS_EVENT_TYPES.includes(event.type)) return applyAccessEvent(trx, event)
  switch (event.type) {
    case LISTINGS_EVENTS.listingPublished: {
      const payload = parse(ListingPublishedPayload)
      if (!payload) return
      const { listing, organization } = payload
      await trx
        .insertInto('listings')
        .values({
          id: listing.id,
          version: listing.version,
          published: true,
          organizationId: listing.organizationId,
          snapshot: JSON.stringify(listing),
          organization: JSON.stringify(organization),
        })
        .onConflict((oc) =>
          oc
            .column('id')
            .doUpdateSet((eb) => ({
              version: eb.ref('excluded.version'),
              published: true,
              organizationId: eb.ref('excluded.organizationId'),
              snapshot: eb.ref('excluded.snapshot'),
              organization: eb.ref('excluded.organization'),
            }))
            .where('listings.version', '<', (eb) => eb.ref('excluded.version')),
        )
        .execute()
      touched.listings.add(listing.id)
      return
    }
    case LISTINGS_EVENTS.listingWithdrawn: {
      const payload = parse(ListingWithdrawnPayload)
      if (!payload) return
      await trx
        .insertInto('listings')
        .values({
          id: payload.listingId,
          version: payload.version,
          published: false,
          organizationId: payload.organizationId,
          snapshot: null,
          organization: null,
        })
        .onConflict((oc) =>
          oc
            .column('id')
            .doUpdateSet((eb) => ({ version: eb.ref('excluded.version'), published: false, snapshot: null }))
            .where('listings.version', '<', (eb) => eb.ref('excluded.version')),
        )
        .execute()
      touched.listings.add(payload.listingId)
      return
    }
    case LISTINGS_EVENTS.organizationUpdated: {
      const payload = parse(OrganizationUpdatedPayload)
      if (!payload) return
      const org = payload.organization
      await trx
        .insertInto('organizations')
        .values({ id: org.id, version: org.version, name: org.name, kind: org.kind, verified: org.verified })
        .onConflict((oc) =>
          oc
            .column('id')
            .doUpdateSet((eb) => ({
              version: eb.ref('excluded.version'),
              name: eb.ref('excluded.name'),
              kind: eb.ref('excluded.kind'),
              verified: eb.ref('excluded.verified'),
            }))
            .where('organizations.version', '<', (eb) => eb.ref('excluded.version')),
        )
        .execute()
      const listings = await trx
        .selectFrom('listings')
        .select('id')
        .where('organizationId', '=', org.id)
        .where('published', '=', true)
        .execute()
      for (const { id } of listings) touched.listings.add(id)
      return
    }
    case LISTINGS_EVENTS.needOpened: {
      const payload = parse(NeedOpenedPayload)
      if (!payload) return
      const need = payload.need
      const open = need.status === 'open'
      await trx
        .insertInto('needs')
        .values({ id: need.id, version: need.version, open, need: JSON.stringify(need) })
        .onConflict((oc) =>
          oc
            .column('id')
            .doUpdateSet((eb) => ({ version: eb.ref('excluded.version'), open, need: eb.ref('excluded.need') }))
            .where('needs.version', '<', (eb) => eb.ref('excluded.version')),
        )
        .execute()
      touched.needs.add(need.id)
      return
    }
    case LISTINGS_EVENTS.needClosed: {
      const payload = parse(NeedClosedPayload)
      if (!payload) return
      await trx
        .insertInto('needs')
        .values({ id: payload.needId, version: payload.version, open: false, need: '{}' })
        .onConflict((oc) =>
          oc
            .column('id')
            .doUpdateSet((eb) => ({ version: eb.ref('excluded.version'), open: false }))
            .where('needs.version', '<', (eb) => eb.ref('excluded.version')),
        )
        .execute()
      touched.needs.add(payload.needId)
      return
    }
    case BOOKINGS_EVENTS.bookingChanged: {
      const payload = parse(BookingChangedPayload)
      if (!payload) return
      const b = payload.booking
      const busy = `[${new Date(b.start).toISOString()},${new Date(b.end).toISOString()})`
      await trx
        .insertInto('bookings')
        .values({
          id: b.id,
          version: b.version,
          listingId: b.listingId,
          listingKind: b.listingKind,
          requesterOrganizationId: b.requesterOrganizationId,
          requesterUserId: b.requesterUserId,
          status: b.status,
          holdsSlot: b.holdsSlot,
          busy,
        })
        .onConflict((oc) =>
          oc
            .column('id')
            .doUpdateSet((eb) => ({
              version: eb.ref('excluded.version'),
              status: eb.ref('excluded.status'),
              holdsSlot: eb.ref('excluded.holdsSlot'),
              busy: eb.ref('excluded.busy'),
            }))
            .where('bookings.version', '<', (eb) => eb.ref('excluded.version')),
        )
        .execute()
      touched.listings.add(b.listingId)
      return
    }
    case BOOKINGS_EVENTS.reputationUpdated: {
      const payload = parse(ReputationUpdatedPayload)
      if (!payload) return
      await trx
        .insertInto('reputations')
        .values({
          subject: payload.subject,
          id: payload.id,
          version: event.version,
          average: payload.average,
          count: payload.count,
        })
        .onConflict((oc) =>
          oc
            .columns(['subject', 'id'])
            .doUpdateSet((eb) => ({
              version: eb.ref('excluded.version'),
              average: eb.ref('excluded.average'),
              count: eb.ref('excluded.count'),
            }))
            .where('reputations.version', '<', (eb) => eb.ref('excluded.version')),
        )
        .execute()
      if (payload.subject === 'listing') touched.listings.add(payload.id)
      return
    }
    case COMMUNITY_EVENTS.activityChanged: {
      const payload = parse(ActivityChangedPayload)
      if (!payload) return
      const a = payload.activity
      const listed = a.status === 'published'
      await trx
        .insertInto('activities')
        .values({
          id: a.id,
          version: a.version,
          listed,
          organizationId: a.organizationId,
          snapshot: JSON.stringify(a),
          city: payload.city ?? null,
        })
        .onConflict((oc) =>
          oc
            .column('id')
            .doUpdateSet((eb) => ({
              version: eb.ref('excluded.version'),
              listed: eb.ref('excluded.listed'),
              snapshot: eb.ref('excluded.snapshot'),
              city: eb.ref('excluded.city'),
            }))
            .where('activities.version', '<', (eb) => eb.ref('excluded.version')),
        )
        .execute()
      touched.activities.add(a.id)
      return
    }
    case COMMUNITY_EVENTS.scorecardUpdated: {
      const payload = parse(ScorecardUpdatedPayload)
      if (payload?.subject !== 'organization') return
      const row = { id: payload.id, version: payload.version, badge: payload.badge, rectifying: payload.rectifying }
      const changed = await trx
        .insertInto('organizationScorecards')
        .values(row)
        .onConflict((oc) =>
          oc.column('id').doUpdateSet(row).where('organizationScorecards.version', '<', payload.version),
        )
        .returning('id')
        .executeTakeFirst()
      if (!changed) return
      // The lift is part of every document of the organization: its listings and activities are re-pushed.
      const [listings, activities] = await Promise.all([
        trx
          .selectFrom('listings')
          .select('id')
          .where('organizationId', '=', payload.id)
          .where('published', '=', true)
          .execute(),
        trx
          .selectFrom('activities')
          .select('id')
          .where('organizationId', '=', payload.id)
          .where('listed', '=', true)
          .execute(),
      ])
      for (const { id } of listings) touched.listings.add(id)
      for (const { id } of activities) touched.activities.add(id)
      return
    }
    default:
      // Other event types of these feeds are not discovery's business.
      return
  }
}
