import { type JobQueue, jobsSchemaOf } from '@commons/jobs'

/** The deferred work of the messaging service, each task with its payload. */
export interface MessagingJobs {
  /** A reminder before a confirmed booking starts; ignored unless the booking is still confirmed then. */
  'booking.reminder': { bookingId: string; lead: '24h' | '2h'; startAt: string }
  /** Sends one notification through one channel (email...), outside the transaction that created it. */
  'notification.deliver': { notificationId: string; channel: string }
  /** Removes notifications past their retention period, then schedules the next sweep. */
  'privacy.retention': Record<string, never>
}

export type MessagingJobQueue = JobQueue<MessagingJobs>

/** Where the messaging service keeps its jobs. */
export const JOBS_SCHEMA = jobsSchemaOf('messaging')

/** One pending reminder per booking and lead time: confirming again moves it, leaving confirmed cancels it. */
export const reminderKey = (bookingId: string, lead: '24h' | '2h') => `reminder:${lead}:${bookingId}`

/** How long before the start each reminder goes out. */
export const REMINDER_LEADS = { '24h': 24 * 3600_000, '2h': 2 * 3600_000 } as const
