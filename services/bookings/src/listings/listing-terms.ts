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

// Parsed terms per listing version. A replica row changes only with a higher version (upsertListing), so
// what was parsed for `id@version` stays right; parsing the three schemas cost more than the reads.
const termsByVersion = new Map<string, ReturnType<typeof listingTerms>>()
const TERMS_LIMIT = 2000

/**
 * {@link listingTerms}, parsed once per listing version and shared: callers must not mutate the result.
 * The availability object is also what scheduling's opening-plan cache is keyed by.
 */
export function cachedListingTerms(listing: ListingReplicaRow): ReturnType<typeof listingTerms> {
  const key = `${listing.listingId}@${listing.version}`
  let terms = termsByVersion.get(key)
  if (!terms) {
    terms = listingTerms(listing)
    if (termsByVersion.size >= TERMS_LIMIT) termsByVersion.delete(termsByVersion.keys().next().value!)
    termsByVersion.set(key, terms)
  }
  return terms
}

/** A listing that can be booked: 404 when unknown, 409 `listing_unavailable` when not published. */
export function assertPublished(listingId: string, listing: ListingReplicaRow | undefined): ListingReplicaRow {
  if (!listing) throw notFound('listing', listingId)
  if (listing.status !== 'published')
    throw conflict('listing_unavailable', `The listing is ${listing.status}, not published; it cannot be booked.`)
  return listing
}

/** The booking rules of a listing, or undefined when the replica does not hold it. */
export async function rulesOf(db: Kysely<DB>, listingId: string): Promise<BookingRules | undefined> {
  const listing = await findListing(db, listingId)
  return listing ? BookingRules.parse(listing.rules) : undefined
}

/** A listing that can be booked: 404 when unknown, 409 `listing_unavailable` when not published. */
export async function publishedListing(db: Kysely<DB>, listingId: string): Promise<ListingReplicaRow> {
  return assertPublished(listingId, await findListing(db, listingId))
}
