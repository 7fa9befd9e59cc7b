import type { Actor, Booking, BookingHistoryAction } from '@commons/contracts'
import { appendEvent } from '@commons/db'
import type { Transaction } from 'kysely'
import { bookingChanged, toBookingDto } from '../bookings/booking-dto.ts'
import type { Party } from '../bookings/booking-machine.ts'
import { audit } from '../bookings/bookings.repository.ts'
import type { BookingRow, DB } from '../db/schema.ts'

/**
 * Ends a money action the provider took on a booking (or a moderator in the provider's place, audited as
 * an override): the audit entry and `booking.changed` go into the same transaction as the change.
 */
export async function recordProviderAction(
  trx: Transaction<DB>,
  done: {
    actor: Actor
    parties: readonly Party[]
    action: BookingHistoryAction
    before: BookingRow
    saved: BookingRow
    reason: string
    now: Date
  },
): Promise<Booking> {
  const asProvider = done.parties.includes('provider')
  await audit(trx, {
    bookingId: done.saved.id,
    actorUserId: done.actor.userId,
    actorRole: asProvider ? 'provider' : 'moderator',
    action: done.action,
    fromStatus: done.before.status,
    toStatus: done.saved.status,
    reason: done.reason,
    moderatorOverride: !asProvider,
    at: done.now,
  })
  await appendEvent(trx, bookingChanged(done.saved))
  return toBookingDto(done.saved)
}
