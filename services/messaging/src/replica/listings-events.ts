import {
  type FeedEvent,
  LISTINGS_EVENTS,
  type Listing,
  ListingPublishedPayload,
  ListingRejectedPayload,
  ListingWithdrawnPayload,
  NeedClosedPayload,
  NeedOpenedPayload,
  OrganizationInvitationPayload,
  OrganizationMembersPayload,
  OrganizationUpdatedPayload,
} from '@commons/contracts'
import { listingFitsNeed } from '@commons/scheduling'
import type { Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { MessagingDeps } from '../deps.ts'
import { adminsOf, notifyUsers } from '../notifications/notify.ts'
import {
  busyByListing,
  findListing,
  findNeed,
  findOrganization,
  organizationName,
  publishedListingsLike,
  replaceMembers,
  saveListing,
  saveNeed,
  saveOrganization,
  saveStatus,
} from './replica.repository.ts'

type Deps = Pick<MessagingDeps, 'clock' | 'jobs' | 'channels'>

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
      return saveStatus(trx, 'listings', p.listingId, p.status, p.version)
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
    case LISTINGS_EVENTS.organizationInvitation: {
      const p = OrganizationInvitationPayload.parse(event.payload)
      // Pending invitations are answered on the organizations page; each refresh is news again.
      await notifyUsers(trx, deps, [p.userId], {
        type: 'organization_invitation',
        params: { organization: p.organizationName, start: p.expiresAt },
        link: '/orgs',
        dedupeKey: `organization-invitation:${p.invitationId}:${event.version}`,
      })
      return
    }
    case LISTINGS_EVENTS.needOpened:
      return applyNeedOpened(trx, deps, NeedOpenedPayload.parse(event.payload))
    case LISTINGS_EVENTS.needClosed: {
      const p = NeedClosedPayload.parse(event.payload)
      return saveStatus(trx, 'needs', p.needId, p.status, p.version)
    }
  }
}

async function applyOrganization(trx: Transaction<DB>, deps: Deps, { organization: org }: OrganizationUpdatedPayload) {
  const before = await findOrganization(trx, org.id)
  if (before && before.version >= org.version) return
  await saveOrganization(trx, { id: org.id, name: org.name, verified: org.verified, version: org.version })
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
  const org = await findOrganization(trx, payload.organizationId)
  if (org && org.membersVersion >= version) return
  // The organization event comes first in the same listings transaction, so the row is there; a feed
  // that starts mid-history still gets the members, under a placeholder name until the next update.
  await replaceMembers(trx, payload.organizationId, version, payload.members)
}

async function applyListingPublished(
  trx: Transaction<DB>,
  deps: Deps,
  { listing, organization }: ListingPublishedPayload,
) {
  const before = await findListing(trx, listing.id)
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
  await saveListing(trx, row)
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
  const before = await findNeed(trx, need.id)
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
  await saveNeed(trx, row)
  if (before) return
  // "A need that fits my listings": discovery's fits rule, shared, on this service's replicas of the
  // listings and of their bookings (the busy ranges), so the notification leads to a view that lists it.
  const candidates = await publishedListingsLike(trx, {
    kind: need.kind,
    city: need.city,
    exceptOrganizationId: need.organizationId,
  })
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
  const postedBy = await organizationName(trx, need.organizationId)
  for (const organizationId of providers) {
    await notifyUsers(trx, deps, await adminsOf(trx, organizationId), {
      type: 'need_matches_listing',
      params: { title: need.title, organization: postedBy ?? '' },
      // The board has no page per need: its "fits my listings" view lists this one with the listings it fits.
      link: '/needs?view=fits',
      dedupeKey: `need-matches:${need.id}`,
    })
  }
}
