import type { BookingEvent } from '../bookings/booking-machine.ts'
import { lockBooking } from '../bookings/bookings.repository.ts'
import { applyTransition, systemCause } from '../bookings/transitions.ts'
import type { TimerKind } from '../db/schema.ts'
import type { BookingsDeps } from '../deps.ts'
import { releaseDeposit } from '../payments/deposits.service.ts'
import { type Poller, runDue, startPoller } from '../workers/due-loop.ts'
import { markTimerDone, takeDueTimer } from './timers.repository.ts'

const EVENT_OF: Record<Exclude<TimerKind, 'deposit_release'>, { event: BookingEvent; from: string }> = {
  payment_hold: { event: 'payment_expire', from: 'pending_payment' },
  request_expiry: { event: 'request_expire', from: 'requested' },
  auto_complete: { event: 'auto_complete', from: 'confirmed' },
}

/**
 * Runs the timers due by the deps' clock, one per transaction, marked done in the same transaction as the
 * booking's transition. A timer whose booking has moved on is just marked done. Returns how many ran.
 */
export function runDueTimers(deps: BookingsDeps, max = 100): Promise<number> {
  return runDue(
    deps.db,
    async (trx) => {
      const now = deps.clock.now()
      const timer = await takeDueTimer(trx, now)
      if (!timer) return false
      const booking = await lockBooking(trx, timer.bookingId)
      if (timer.kind === 'deposit_release') {
        if (booking) await releaseDeposit(trx, deps, booking)
      } else {
        const { event, from } = EVENT_OF[timer.kind]
        if (booking && booking.status === from)
          await applyTransition(trx, deps, booking, event, systemCause(`timer:${timer.kind}`))
      }
      await markTimerDone(trx, timer.id, now)
      return true
    },
    max,
  )
}

/** Polls for due timers every `intervalMs` until stopped. */
export function startTimerWorker(
  deps: BookingsDeps,
  opts: { intervalMs: number; log: { warn(obj: object, msg: string): void } },
): Poller {
  return startPoller('timer', () => runDueTimers(deps), opts)
}
