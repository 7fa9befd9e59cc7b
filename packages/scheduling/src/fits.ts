import type { Listing, Need } from '@commons/contracts'
import { checkWindow } from './index.ts'
import type { Interval } from './types.ts'

/** What the fits rule reads of a need: the fields every copy of a need (board, index, replica) holds. */
export type FitNeed = Pick<Need, 'kind' | 'city' | 'district' | 'attendees' | 'budget' | 'window'>

/**
 * Whether a published listing fits an open need — the one rule behind discovery's matches (both ways) and
 * messaging's "a need fits your listings" notification, so a notification never leads to an empty view:
 * - the same kind, city and district;
 * - room for the attendees the need names (volunteer time has no capacity; a listing that names none
 *   does not promise any);
 * - within the budget (a fee listing's price at most the budget; a need without one takes free listings);
 * - the need's window still ahead and bookable whole by the listing's own rules, given `busy` (its
 *   slot-holding bookings, without buffers) — the same check bookings applies to a request.
 */
export function listingFitsNeed(listing: Listing, need: FitNeed, busy: Interval[], now: Date): boolean {
  if (listing.kind !== need.kind) return false
  if (listing.location.city !== need.city || listing.location.district !== need.district) return false
  if (need.attendees !== undefined && listing.kind !== 'volunteer_time') {
    if (listing.capacity === undefined || listing.capacity < need.attendees) return false
  }
  if (listing.pricing.model === 'fee') {
    if (!need.budget || listing.pricing.price.amount > need.budget.amount) return false
  }
  const start = new Date(need.window.start)
  const end = new Date(need.window.end)
  if (!(start.getTime() > now.getTime())) return false
  return checkWindow({
    availability: listing.availability,
    rules: listing.rules,
    busy,
    bufferMinutes: listing.rules.bufferMinutes,
    start,
    end,
    now,
  }).ok
}
