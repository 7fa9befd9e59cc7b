import type { Availability, BookingRules } from '@commons/contracts'
import type { OpeningPlan } from './opening.ts'

/** A half-open time range [start, end) of instants. */
export interface Interval {
  start: Date
  end: Date
}

/** Why a window cannot be booked (the rule it breaks). */
export type Refusal =
  | 'outside_hours'
  | 'min_notice'
  | 'max_advance'
  | 'too_short'
  | 'too_long'
  | 'not_slot_aligned'
  | 'conflict'

/** What {@link bookableSlots} needs. */
export interface SlotsInput {
  /** The listing's opening hours, or their {@link openingPlan} (the same, compiled once per listing version). */
  availability: Availability | OpeningPlan
  rules: BookingRules
  /** Slot-holding bookings of the listing, WITHOUT their buffers. */
  busy: Interval[]
  bufferMinutes: number
  from: Date
  to: Date
  now: Date
}

/** What {@link checkWindow} needs. */
export interface WindowInput {
  availability: Availability | OpeningPlan
  rules: BookingRules
  busy: Interval[]
  bufferMinutes: number
  start: Date
  end: Date
  now: Date
}
