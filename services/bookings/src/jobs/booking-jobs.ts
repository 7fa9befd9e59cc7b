import { type JobQueue, jobsSchemaOf } from '@commons/jobs'
import type { TimerKind } from '../db/schema.ts'

/** The deferred work of the bookings service, each task with its payload. */
export interface BookingJobs {
  /** A booking's timer: payment hold, request expiry, auto-complete or deposit release. */
  'booking.timer': { bookingId: string; kind: TimerKind }
  /** A rating window closes: whatever was rated is published. */
  'rating-window.close': { bookingId: string }
  /** The booking's pending money steps are carried out with the payment provider, in order. */
  'payment.steps': { bookingId: string }
}

export type BookingJobQueue = JobQueue<BookingJobs>

/** Where the bookings service keeps its jobs (graphile-worker's tables, owned by this service). */
export const JOBS_SCHEMA = jobsSchemaOf('bookings')

/** A booking waits for at most one timer at a time, so one key per booking: scheduling again replaces it. */
export const timerKey = (bookingId: string) => `booking-timer:${bookingId}`

/** One close job per rating window. */
export const windowKey = (bookingId: string) => `rating-window:${bookingId}`

/** One steps job per booking: a step decided while one is pending joins it instead of queueing another. */
export const paymentStepsKey = (bookingId: string) => `payment-steps:${bookingId}`
