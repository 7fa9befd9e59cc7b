import { BOOKINGS_EVENTS, type Booking, type BookingChangedPayload } from '@commons/contracts'
import type { BookingRow } from '../db/schema.ts'
import { holdsSlot } from './booking-machine.ts'

/** The API shape of a booking row. */
export function toBookingDto(row: BookingRow): Booking {
  return {
    id: row.id,
    listingId: row.listingId,
    listingKind: row.listingKind,
    listingTitle: row.listingTitle,
    providerOrganizationId: row.providerOrganizationId,
    requesterOrganizationId: row.requesterOrganizationId,
    requesterUserId: row.requesterUserId,
    status: row.status,
    start: row.startAt.toISOString(),
    end: row.endAt.toISOString(),
    bufferMinutes: row.bufferMinutes,
    attendees: row.attendees,
    purpose: row.purpose,
    price: row.price,
    paymentProvider: row.paymentProvider as Booking['paymentProvider'],
    paymentStatus: row.paymentStatus,
    refundedAmount: row.refundedAmount,
    depositRetained: row.depositRetained,
    reason: row.reason,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

/** The `booking.changed` event of a booking's current state. */
export function bookingChanged(row: BookingRow) {
  const payload: BookingChangedPayload = {
    booking: {
      id: row.id,
      listingId: row.listingId,
      listingKind: row.listingKind,
      providerOrganizationId: row.providerOrganizationId,
      requesterOrganizationId: row.requesterOrganizationId,
      requesterUserId: row.requesterUserId,
      status: row.status,
      holdsSlot: holdsSlot(row.status),
      start: row.startAt.toISOString(),
      end: row.endAt.toISOString(),
      bufferMinutes: row.bufferMinutes,
      attendees: row.attendees,
      version: row.version,
    },
  }
  return { type: BOOKINGS_EVENTS.bookingChanged, entityId: row.id, version: row.version, payload }
}
