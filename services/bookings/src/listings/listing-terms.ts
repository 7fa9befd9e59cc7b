import { Availability, BookingRules, Pricing } from '@commons/contracts'
import { conflict, notFound } from '@commons/service-kit'
import type { Kysely } from 'kysely'
import type { DB, ListingReplicaRow } from '../db/schema.ts'
import { findListing } from './replica.repository.ts'

/** Rules, availability and pricing of a replica, with the contract's defaults applied. */
export function listingTerms(listing: ListingReplicaRow) {
  return {
    rules: BookingRules.parse(listing.rules),
    availability: Availability.parse(listing.availability),
    pricing: Pricing.parse(listing.pricing),
  }
}

/** The booking rules of a listing, or undefined when the replica does not hold it. */
export async function rulesOf(db: Kysely<DB>, listingId: string): Promise<BookingRules | undefined> {
  const listing = await findListing(db, listingId)
  return listing ? BookingRules.parse(listing.rules) : undefined
}

/** A listing that can be booked: 404 when unknown, 409 `listing_unavailable` when not published. */
export async function publishedListing(db: Kysely<DB>, listingId: string): Promise<ListingReplicaRow> {
  const listing = await findListing(db, listingId)
  if (!listing) throw notFound('listing', listingId)
  if (listing.status !== 'published')
    throw conflict('listing_unavailable', `The listing is ${listing.status}, not published; it cannot be booked.`)
  return listing
}
