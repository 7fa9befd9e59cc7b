import type { AvailabilityResponse } from '@commons/contracts'
import { bookableSlots } from '@commons/scheduling'
import type { Kysely } from 'kysely'
import { busyBookings } from '../bookings/bookings.repository.ts'
import type { DB } from '../db/schema.ts'
import type { BookingsDeps } from '../deps.ts'
import { listingTerms, publishedListing } from '../listings/listing-terms.ts'
import { MINUTE } from '../units.ts'

/** Busy intervals (without buffers) of a listing that can matter for [from, to) under `bufferMinutes`. */
export async function busyAround(db: Kysely<DB>, listingId: string, from: Date, to: Date, bufferMinutes: number) {
  const pad = bufferMinutes * MINUTE
  const rows = await busyBookings(db, listingId, new Date(from.getTime() - pad), new Date(to.getTime() + pad))
  return rows.map((r) => ({ start: new Date(r.start), end: new Date(r.end) }))
}

/**
 * `GET /v1/availability/:listingId`: the bookable slots of a published listing in [from, to), and with
 * `includeTaken` the slots bookings hold (so a picker can show them greyed instead of leaving gaps).
 */
export async function getAvailability(
  deps: BookingsDeps,
  listingId: string,
  from: Date,
  to: Date,
  includeTaken = false,
): Promise<AvailabilityResponse> {
  const listing = await publishedListing(deps.db, listingId)
  const { rules, availability } = listingTerms(listing)
  const reach = rules.maxDurationMinutes * MINUTE
  const busy = await busyAround(
    deps.db,
    listingId,
    new Date(from.getTime() - reach),
    new Date(to.getTime() + reach),
    rules.bufferMinutes,
  )
  const slots = bookableSlots({
    availability,
    rules,
    busy,
    bufferMinutes: rules.bufferMinutes,
    from,
    to,
    now: deps.clock.now(),
  })
  const toSlot = (s: { start: Date; end: Date }) => ({ start: s.start.toISOString(), end: s.end.toISOString() })
  if (!includeTaken) return { listingId, timezone: availability.timezone, slots: slots.map(toSlot) }
  // The same rules with nobody booked: what is open; whatever of it is not bookable now, bookings hold.
  const free = new Set(slots.map((s) => s.start.getTime()))
  const open = bookableSlots({ availability, rules, busy: [], bufferMinutes: 0, from, to, now: deps.clock.now() })
  return {
    listingId,
    timezone: availability.timezone,
    slots: slots.map(toSlot),
    taken: open.filter((s) => !free.has(s.start.getTime())).map(toSlot),
  }
}
