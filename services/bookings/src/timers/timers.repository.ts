import type { Transaction } from 'kysely'
import type { DB, TimerKind } from '../db/schema.ts'
import { type BookingJobQueue, timerKey } from '../jobs/booking-jobs.ts'

/**
 * Schedules (or reschedules) a booking's timer as a job in the transaction of the change that needs it, so
 * the timer exists if and only if that change commits.
 */
export async function scheduleTimer(
  trx: Transaction<DB>,
  jobs: BookingJobQueue,
  bookingId: string,
  kind: TimerKind,
  runAt: Date,
) {
  await jobs.enqueue(trx, 'booking.timer', { bookingId, kind }, { runAt, key: timerKey(bookingId) })
}

/** `scheduleTimer` as a call for the FROM of the statement that writes the booking (`JobQueue.enqueueCall`). */
export function timerJobCall(jobs: BookingJobQueue, bookingId: string, kind: TimerKind, runAt: Date) {
  return jobs.enqueueCall('booking.timer', { bookingId, kind }, { runAt, key: timerKey(bookingId) })
}

/** Drops a booking's pending timer: the state it waited in is gone. */
export async function cancelTimers(trx: Transaction<DB>, jobs: BookingJobQueue, bookingId: string) {
  await jobs.cancel(trx, timerKey(bookingId))
}
