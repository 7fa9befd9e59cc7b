import { z } from 'zod'

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
