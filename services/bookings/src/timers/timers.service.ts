import type { BookingEvent } from '../bookings/booking-machine.ts'
import { lockBooking } from '../bookings/bookings.repository.ts'
import { applyTransition, systemCause } from '../bookings/transitions.ts'
import type { TimerKind } from '../db/schema.ts'
import type { BookingsDeps } from '../deps.ts'
import { releaseDeposit } from '../payments/deposits.service.ts'

const EVENT_OF: Record<Exclude<TimerKind, 'deposit_release'>, { event: BookingEvent; from: string }> = {
  payment_hold: { event: 'payment_expire', from: 'pending_payment' },
  request_expiry: { event: 'request_expire', from: 'requested' },
  auto_complete: { event: 'auto_complete', from: 'confirmed' },
}

/**
 * The `booking.timer` job: applies the timer's event to the booking, in one transaction with the booking
 * locked. Jobs run at least once, so a timer whose booking has moved on (answered, cancelled, run before)
 * changes nothing.
 */
export async function runBookingTimer(deps: BookingsDeps, job: { bookingId: string; kind: TimerKind }) {
  await deps.db.transaction().execute(async (trx) => {
    const booking = await lockBooking(trx, job.bookingId)
    if (!booking) return
    if (job.kind === 'deposit_release') {
      if (booking.status === 'completed' || booking.status === 'no_show') await releaseDeposit(trx, deps, booking)
      return
    }
    const { event, from } = EVENT_OF[job.kind]
    if (booking.status === from) await applyTransition(trx, deps, booking, event, systemCause(`timer:${job.kind}`))
  })
}
