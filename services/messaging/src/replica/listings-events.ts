import {
  type FeedEvent,
  LISTINGS_EVENTS,
  type Listing,
  ListingPublishedPayload,
  ListingRejectedPayload,
  ListingWithdrawnPayload,
  NeedClosedPayload,
  NeedOpenedPayload,
  OrganizationMembersPayload,
  OrganizationUpdatedPayload,
  SLOT_HOLDING_STATUSES,
} from '@commons/contracts'
import { listingFitsNeed } from '@commons/scheduling'
import type { Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { MessagingDeps } from '../deps.ts'
import { adminsOf, notifyUsers } from '../notifications/notify.ts'

type Deps = Pick<MessagingDeps, 'clock' | 'jobs' | 'channels'>

const DAY = 86_400_000

/**
 * Applies one listings-feed event: organizations and their members (who speaks for whom), listings and
 * needs (titles, what fits what), and the notifications those changes mean. Idempotent by version: delivery
 * is at least once, and a replayed event changes nothing (notifications also dedupe by key).
 */
export async function applyListingsEvent(trx: Transaction<DB>, deps: Deps, event: FeedEvent): Promise<void> {
  switch (event.type) {
    case LISTINGS_EVENTS.organizationUpdated:
      return applyOrganization(trx, deps, OrganizationUpdatedPayload.parse(event.payload))
    case LISTINGS_EVENTS.organizationMembers:
      return applyMembers(trx, OrganizationMembersPayload.parse(event.payload), event.version)
    case LISTINGS_EVENTS.listingPublished:
      return applyListingPublished(trx, deps, ListingPublishedPayload.parse(event.payload))
    case LISTINGS_EVENTS.listingWithdrawn: {
      const p = ListingWithdrawnPayload.parse(event.payload)
      await trx
        .updateTable('listings')
        .set({ status: p.status, version: p.version })
        .where('id', '=', p.listingId)
        .where('version', '<', p.version)
        .execute()
      return
    }
    case LISTINGS_EVENTS.listingRejected: {
      const p = ListingRejectedPayload.parse(event.payload)
      // The organization page lists its listings with the moderator's reason beside a rejected one.
      await notifyUsers(trx, deps, await adminsOf(trx, p.organizationId), {
        type: 'listing_rejected',
        params: { title: p.title },
        link: `/orgs/${p.organizationId}`,
        dedupeKey: `listing-rejected:${p.listingId}:${p.version}`,
      })
      return
    }
    case LISTINGS_EVENTS.needOpened:
      return applyNeedOpened(trx, deps, NeedOpenedPayload.parse(event.payload))
    case LISTINGS_EVENTS.needClosed: {
      const p = NeedClosedPayload.parse(event.payload)
      await trx
        .updateTable('needs')
        .set({ status: p.status, version: p.version })
        .where('id', '=', p.needId)
        .where('version', '<', p.version)
        .execute()
      return
    }
  }
}

async function applyOrganization(trx: Transaction<DB>, deps: Deps, { organization: org }: OrganizationUpdatedPayload) {
  const before = await trx.selectFrom('organizations').selectAll().where('id', '=', org.id).executeTakeFirst()
  if (before && before.version >= org.version) return
  const row = { id: org.id, name: org.name, verified: org.verified, version: org.version }
  await trx
    .insertInto('organizations')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .execute()
  if (org.verified && before && !before.verified) {
    await notifyUsers(trx, deps, await adminsOf(trx, org.id), {
      type: 'organization_verified',
      params: { organization: org.name },
      link: `/orgs/${org.id}`,
      dedupeKey: `organization-verified:${org.id}`,
    })
  }
}

async function applyMembers(trx: Transaction<DB>, payload: OrganizationMembersPayload, version: number) {
  const org = await trx
    .selectFrom('organizations')
    .select('membersVersion')
    .where('id', '=', payload.organizationId)
    .executeTakeFirst()
  if (org && org.membersVersion >= version) return
  // The organization event comes first in the same listings transaction, so the row is there; a feed
  // that starts mid-history still gets the members, under a placeholder name until the next update.
  await trx
    .insertInto('organizations')
    .values({ id: payload.organizationId, name: '', verified: false, version: 0, membersVersion: version })
    .onConflict((oc) => oc.column('id').doUpdateSet({ membersVersion: version }))
    .execute()
  await trx.deleteFrom('members').where('organizationId', '=', payload.organizationId).execute()
  if (payload.members.length > 0) {
    await trx
      .insertInto('members')
      .values(payload.members.map((m) => ({ organizationId: payload.organizationId, ...m })))
      .execute()
  }
}

async function applyListingPublished(
  trx: Transaction<DB>,
  deps: Deps,
  { listing, organization }: ListingPublishedPayload,
) {
  const before = await trx.selectFrom('listings').selectAll().where('id', '=', listing.id).executeTakeFirst()
  if (before && before.version >= listing.version) return
  const row = {
    id: listing.id,
    organizationId: listing.organizationId,
    title: listing.title,
    kind: listing.kind,
    city: 'delivery' in listing && listing.delivery === 'online' ? null : listing.location.city,
    status: listing.status,
    version: listing.version,
    snapshot: JSON.stringify(listing),
  }
  await trx
    .insertInto('listings')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .execute()
  // First publication (by a moderator's approval, or directly for verified organizations); a listing
  // resumed from pause or edited while published is not news to its owners.
  if (!before) {
    await notifyUsers(trx, deps, await adminsOf(trx, listing.organizationId), {
      type: 'listing_approved',
      params: { title: listing.title, organization: organization.name },
      link: `/listings/${listing.id}`,
      dedupeKey: `listing-published:${listing.id}`,
    })
  }
}

async function applyNeedOpened(trx: Transaction<DB>, deps: Deps, { need }: NeedOpenedPayload) {
  const before = await trx.selectFrom('needs').selectAll().where('id', '=', need.id).executeTakeFirst()
  if (before && before.version >= need.version) return
  const row = {
    id: need.id,
    organizationId: need.organizationId,
    title: need.title,
    kind: need.kind,
    city: need.city,
    status: need.status,
    version: need.version,
  }
  await trx
    .insertInto('needs')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .execute()
  if (before) return
  // "A need that fits my listings": discovery's fits rule, shared, on this service's replicas of the
  // listings and of their bookings (the busy ranges), so the notification leads to a view that lists it.
  const candidates = await trx
    .selectFrom('listings')
    .select(['id', 'organizationId', 'snapshot'])
    .where('status', '=', 'published')
    .where('kind', '=', need.kind)
    .where('city', '=', need.city)
    .where('snapshot', 'is not', null)
    .where('organizationId', '!=', need.organizationId)
    .execute()
  const busy = await busyByListing(
    trx,
    candidates.map((c) => c.id),
    new Date(need.window.start),
    new Date(need.window.end),
  )
  const now = deps.clock.now()
  const providers = [
    ...new Set(
      candidates
        .filter((c) => listingFitsNeed(c.snapshot as unknown as Listing, need, busy.get(c.id) ?? [], now))
        .map((c) => c.organizationId),
    ),
  ]
  const postedBy = await trx
    .selectFrom('organizations')
    .select('name')
    .where('id', '=', need.organizationId)
    .executeTakeFirst()
  for (const organizationId of providers) {
    await notifyUsers(trx, deps, await adminsOf(trx, organizationId), {
      type: 'need_matches_listing',
      params: { title: need.title, organization: postedBy?.name ?? '' },
      // The board has no page per need: its "fits my listings" view lists this one with the listings it fits.
      link: '/needs?view=fits',
      dedupeKey: `need-matches:${need.id}`,
    })
  }
}

/**
 * Slot-holding bookings of the listings near [start, end), without buffers, by listing. Widened by a day:
 * a listing's own buffer (at most 4 h) extends the window before the rule compares.
 */
async function busyByListing(trx: Transaction<DB>, ids: string[], start: Date, end: Date) {
  const byListing = new Map<string, Array<{ start: Date; end: Date }>>()
  if (ids.length === 0) return byListing
  const rows = await trx
    .selectFrom('bookings')
    .select(['listingId', 'startAt', 'endAt'])
    .where('listingId', 'in', ids)
    .where('status', 'in', [...SLOT_HOLDING_STATUSES])
    .where('startAt', '<', new Date(end.getTime() + DAY))
    .where('endAt', '>', new Date(start.getTime() - DAY))
    .execute()
  for (const r of rows)
    byListing.set(r.listingId, [...(byListing.get(r.listingId) ?? []), { start: r.startAt, end: r.endAt }])
  return byListing
}
