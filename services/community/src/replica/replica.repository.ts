import {
  BOOKINGS_EVENTS,
  BookingChangedPayload,
  type FeedEvent,
  LISTINGS_EVENTS,
  ListingPublishedPayload,
  ListingWithdrawnPayload,
  OrganizationUpdatedPayload,
} from '@commons/contracts'
import type { Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'

/**
 * Applies one listings-feed event: organizations' public facts and venues. Idempotent by version (delivery
 * is at least once): an event not newer than what is stored changes nothing.
 */
export async function applyListingsEvent(trx: Transaction<DB>, event: FeedEvent, now: Date): Promise<void> {
  if (event.type === LISTINGS_EVENTS.organizationUpdated) {
    const { organization: o } = OrganizationUpdatedPayload.parse(event.payload)
    const row = {
      id: o.id,
      version: o.version,
      name: o.name,
      kind: o.kind,
      district: o.district,
      city: o.city,
      verified: o.verified,
      updatedAt: now,
    }
    await trx
      .insertInto('organizations')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(row).where('organizations.version', '<', o.version))
      .execute()
  } else if (event.type === LISTINGS_EVENTS.listingPublished) {
    const { listing, organization } = ListingPublishedPayload.parse(event.payload)
    // Listings carry the organization's summary; keep its name where organization.updated has not come yet.
    await trx
      .insertInto('organizations')
      .values({
        id: organization.id,
        version: 0,
        name: organization.name,
        kind: organization.kind,
        verified: organization.verified,
        updatedAt: now,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute()
    if (listing.kind !== 'venue') return
    const row = {
      id: listing.id,
      version: listing.version,
      organizationId: listing.organizationId,
      title: listing.title,
      district: listing.location.district,
      address: listing.location.address ?? null,
      lat: listing.location.lat ?? null,
      lng: listing.location.lng ?? null,
      published: true,
      updatedAt: now,
    }
    await trx
      .insertInto('venues')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(row).where('venues.version', '<', listing.version))
      .execute()
  } else if (event.type === LISTINGS_EVENTS.listingWithdrawn) {
    const payload = ListingWithdrawnPayload.parse(event.payload)
    await trx
      .updateTable('venues')
      .set({ published: false, version: payload.version, updatedAt: now })
      .where('id', '=', payload.listingId)
      .where('version', '<', payload.version)
      .execute()
  }
}

/** Applies one bookings-feed event: the bookings organizations made, idempotent by version. */
export async function applyBookingsEvent(trx: Transaction<DB>, event: FeedEvent, now: Date): Promise<void> {
  if (event.type !== BOOKINGS_EVENTS.bookingChanged) return
  const { booking: b } = BookingChangedPayload.parse(event.payload)
  const row = {
    id: b.id,
    version: b.version,
    listingId: b.listingId,
    requesterOrganizationId: b.requesterOrganizationId,
    providerOrganizationId: b.providerOrganizationId,
    status: b.status,
    startAt: new Date(b.start),
    endAt: new Date(b.end),
    updatedAt: now,
  }
  await trx
    .insertInto('bookings')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet(row).where('bookings.version', '<', b.version))
    .execute()
}
