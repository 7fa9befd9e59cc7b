import type { AvailabilityResponse } from '@commons/contracts'
import { bookableSlots, openingPlanFor } from '@commons/scheduling'
import type { BookingsDeps } from '../deps.ts'
import { assertPublished, cachedListingTerms } from '../listings/listing-terms.ts'
import { listingWithBusy } from './availability.repository.ts'

/**
 * `GET /v1/availability/:listingId`: the bookable slots of a published listing in [from, to). One query
 * (the listing and its busy ranges), then the pure function over the listing version's cached terms and
 * opening plan.
 */
export async function getAvailability(
  deps: BookingsDeps,
  listingId: string,
  from: Date,
  to: Date,
): Promise<AvailabilityResponse> {
  const read = await listingWithBusy(deps.db, listingId, from, to, { reach: true })
  const listing = assertPublished(listingId, read.listing)
  const { rules, availability } = cachedListingTerms(listing)
  const slots = bookableSlots({
    availability: openingPlanFor(`${listingId}@${listing.version}`, availability),
    rules,
    busy: read.busy.map((b) => ({ start: new Date(b.start), end: new Date(b.end) })),
    bufferMinutes: rules.bufferMinutes,
    from,
    to,
    now: deps.clock.now(),
  })
  return {
    listingId,
    timezone: availability.timezone,
    slots: slots.map((s) => ({ start: s.start.toISOString(), end: s.end.toISOString() })),
  }
}
