import type { Availability, BookingRules } from '@commons/contracts'
import { checkWindow, type Interval } from '@commons/scheduling'

export type { Interval }

export interface WindowCheck {
  availability: Availability
  rules: BookingRules
  /** Slot-holding bookings of the listing, without their buffers. */
  busy: Interval[]
  start: Date
  end: Date
  now: Date
}

/**
 * Whether a listing could be booked for the whole window [start, end), by the same rules the bookings
 * engine applies (`@commons/scheduling`): duration, notice, advance, opening hours and dated exceptions in
 * the listing's zone, the slot grid, and other bookings plus the listing's buffer. The one function the
 * availability filter goes through.
 */
export function bookableInWindow(check: WindowCheck): boolean {
  return checkWindow({ ...check, bufferMinutes: check.rules.bufferMinutes }).ok
}
