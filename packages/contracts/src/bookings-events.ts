import { z } from 'zod'
import { Id, Instant } from './common.ts'
import { ListingKind } from './listings.ts'

/** Booking states (DESIGN.md §3). */
export const BookingStatus = z
  .enum([
    'pending_payment',
    'payment_expired',
    'requested',
    'declined',
    'expired',
    'confirmed',
    'cancelled',
    'completed',
    'no_show',
  ])
  .meta({ id: 'BookingStatus' })
export type BookingStatus = z.infer<typeof BookingStatus>

/** States in which a booking holds its slot (no other booking may overlap it, buffers included). */
export const SLOT_HOLDING_STATUSES: readonly BookingStatus[] = Object.freeze([
  'pending_payment',
  'requested',
  'confirmed',
  'completed',
  'no_show',
])

/**
 * Payload of `booking.changed`, sent on creation and every transition: enough for discovery to keep busy
 * ranges (availability filter), popularity and members' interest profiles without calling bookings.
 */
export const BookingChangedPayload = z
  .object({
    booking: z.object({
      id: Id,
      listingId: Id,
      listingKind: ListingKind,
      providerOrganizationId: Id,
      requesterOrganizationId: Id,
      requesterUserId: Id,
      status: BookingStatus,
      holdsSlot: z.boolean(),
      start: Instant,
      end: Instant,
      /** The listing's buffer at booking time: the busy range is [start - buffer, end + buffer). */
      bufferMinutes: z.number().int().min(0),
      attendees: z.number().int().min(1),
      version: z.number().int().min(1),
    }),
  })
  .meta({ id: 'BookingChangedPayload' })
export type BookingChangedPayload = z.infer<typeof BookingChangedPayload>

/** Event types of the bookings feed. entityId = the booking's (or rated object's) id. */
export const BOOKINGS_EVENTS = {
  bookingChanged: 'booking.changed',
  /** payload { subject: 'listing' | 'organization' | 'member', id, average, count } (ratings issue). */
  reputationUpdated: 'reputation.updated',
} as const
