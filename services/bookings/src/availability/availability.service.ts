import type { AvailabilityResponse } from '@commons/contracts'
import { bookableSlots, openingPlanFor } from '@commons/scheduling'
import type { BookingsDeps } from '../deps.ts'
import { assertPublished, cachedListingTerms } from '../listings/listing-terms.ts'
import { listingWithBusy } from './availability.repository.ts'

/**
 * `GET /v1/availability/:listingId`: the bookable slots of a published listing in [from, to), and with
 * `includeTaken` the slots bookings hold (so a picker can show them greyed instead of leaving gaps). One
 * query (the listing and its busy ranges), then the pure function over the listing version's cached terms
 * and opening plan.
 */
export async function getAvailability(
  deps: BookingsDeps,
  listingId: string,
  from: Date,
  to: Date,
  includeTaken = false,
): Promise<AvailabilityResponse> {
  const read = await listingWithBusy(deps.db, listingId, from, to, { reach: true })
  const listing = assertPublished(listingId, read.listing)
  const { rules, availability } = cachedListingTerms(listing)
  const plan = openingPlanFor(`${listingId}@${listing.version}`, availability)
  const slots = bookableSlots({
    availability: plan,
    rules,
    busy: read.busy.map((b) => ({ start: new Date(b.start), end: new Date(b.end) })),
    bufferMinutes: rules.bufferMinutes,
    from,
    to,
    now: deps.clock.now(),
  })
  const toSlot = (s: { start: Date; end: Date }) => ({ start: s.start.toISOString(), end: s.end.toISOString() })
  if (!includeTaken) return { listingId, timezone: availability.timezone, slots: slots.map(toSlot) }
  // The same rules with nobody booked: what is open; whatever of it is not bookable now, bookings hold.
  const free = new Set(slots.map((s) => s.start.getTime()))
  const open = bookableSlots({ availability: plan, rules, busy: [], bufferMinutes: 0, from, to, now: deps.clock.now() })
  return {
    listingId,
    timezone: availability.timezone,
    slots: slots.map(toSlot),
    taken: open.filter((s) => !free.has(s.start.getTime())).map(toSlot),
  }
}
