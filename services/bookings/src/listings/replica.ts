import {
  type FeedEvent,
  LISTINGS_EVENTS,
  ListingPrivateDetailsPayload,
  ListingPublishedPayload,
  ListingWithdrawnPayload,
  OrganizationContactsPayload,
  OrganizationUpdatedPayload,
} from '@commons/contracts'
import type { Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'
import {
  upsertListingPrivateDetails,
  upsertOrganizationContacts,
  upsertOrganizationName,
} from './parties.repository.ts'
import { upsertListing, withdrawListing } from './replica.repository.ts'

/**
 * Applies one listings-feed event to the replica. Idempotent by version: an event not newer than the stored
 * version changes nothing (delivery is at least once, and a replayed batch must not roll a listing back).
 */
export async function applyListingEvent(trx: Transaction<DB>, event: FeedEvent, now: Date): Promise<void> {
  if (event.type === LISTINGS_EVENTS.listingPublished) {
    const { listing, organization } = ListingPublishedPayload.parse(event.payload)
    const capacity = 'capacity' in listing && typeof listing.capacity === 'number' ? listing.capacity : null
    await upsertListing(trx, {
      listingId: listing.id,
      organizationId: listing.organizationId,
      organizationName: organization.name,
      kind: listing.kind,
      status: listing.status,
      version: listing.version,
      title: listing.title,
      capacity,
      pricing: JSON.stringify(listing.pricing),
      rules: JSON.stringify(listing.rules),
      availability: JSON.stringify(listing.availability),
      address: listing.location.address ?? null,
      updatedAt: now,
    })
  } else if (event.type === LISTINGS_EVENTS.organizationUpdated) {
    const { organization } = OrganizationUpdatedPayload.parse(event.payload)
    await upsertOrganizationName(trx, organization.id, organization.name, organization.version)
  } else if (event.type === LISTINGS_EVENTS.organizationContacts) {
    const { organizationId, contacts } = OrganizationContactsPayload.parse(event.payload)
    await upsertOrganizationContacts(trx, organizationId, contacts, event.version)
  } else if (event.type === LISTINGS_EVENTS.listingPrivateDetails) {
    const { listingId, details } = ListingPrivateDetailsPayload.parse(event.payload)
    await upsertListingPrivateDetails(trx, listingId, details, event.version)
  } else if (event.type === LISTINGS_EVENTS.listingWithdrawn) {
    const payload = ListingWithdrawnPayload.parse(event.payload)
    await withdrawListing(trx, {
      listingId: payload.listingId,
      status: payload.status,
      version: payload.version,
      updatedAt: now,
    })
  }
}
