import { BOOKINGS_EVENTS } from '@commons/contracts'
import { appendEvent } from '@commons/db'
import type { Transaction } from 'kysely'
import type { BookingRow, DB, RatingWindowRow } from '../db/schema.ts'
import type { BookingsDeps } from '../deps.ts'
import { type BookingJobQueue, windowKey } from '../jobs/booking-jobs.ts'
import { publishReputation, subjectsOf } from '../reputation/reputation.service.ts'
import { DAY } from '../units.ts'
import {
  completedAtOf,
  insertWindow,
  lockWindowRow,
  markWindowPublished,
  publishRatingsOf,
  voidOpenWindow,
} from './ratings.repository.ts'

/** Each side may rate within this long of the completion (DESIGN.md §3). */
export const RATING_WINDOW_MS = 14 * DAY

/**
 * The rating window of a completed booking, created on first need (by the booking.changed consumer or by
 * the first rating, whichever comes first) and locked for the rest of the transaction: both sides' ratings
 * and the closing timer serialise on it, so "the other side has rated" is never decided by two
 * transactions at once.
 */
export async function lockWindow(
  trx: Transaction<DB>,
  jobs: BookingJobQueue,
  booking: BookingRow,
): Promise<RatingWindowRow> {
  const existing = await lockWindowRow(trx, booking.id)
  if (existing) return existing
  const at = (await completedAtOf(trx, booking.id)) ?? booking.updatedAt
  const closesAt = new Date(at.getTime() + RATING_WINDOW_MS)
  const opened = await insertWindow(trx, {
    bookingId: booking.id,
    completedAt: at,
    closesAt,
    publishedAt: null,
    voidedAt: null,
  })
  // The close job commits with the window, so no window stays open for want of its timer.
  if (opened)
    await jobs.enqueue(
      trx,
      'rating-window.close',
      { bookingId: booking.id },
      { runAt: closesAt, key: windowKey(booking.id) },
    )
  const window = await lockWindowRow(trx, booking.id)
  if (!window) throw new Error(`rating window of ${booking.id} vanished after its insert`)
  return window
}

/** A booking that left (or never reached) `completed` rates nothing: its unpublished window is void. */
export async function voidWindow(trx: Transaction<DB>, bookingId: string, now: Date): Promise<void> {
  await voidOpenWindow(trx, bookingId, now)
}

/**
 * Publishes every rating of a window at once (both rated, or the window closed) and appends the
 * reputation events of what they rated. Called with the window locked.
 */
export async function publishWindow(trx: Transaction<DB>, window: RatingWindowRow, now: Date): Promise<void> {
  const published = await publishRatingsOf(trx, window.bookingId, now)
  await markWindowPublished(trx, window.bookingId, now)
  await publishReputation(trx, published.filter((r) => r.hiddenAt === null).flatMap(subjectsOf))
  if (published.length === 0) return
  // Both sides hear that the ratings are public (messaging): the event says whose booking, not what was said.
  const booking = await trx
    .selectFrom('bookings')
    .select(['listingId', 'providerOrganizationId', 'requesterOrganizationId'])
    .where('id', '=', window.bookingId)
    .executeTakeFirstOrThrow()
  await appendEvent(trx, {
    type: BOOKINGS_EVENTS.ratingsPublished,
    entityId: window.bookingId,
    version: 1,
    payload: { bookingId: window.bookingId, ...booking },
  })
}

/**
 * The `rating-window.close` job, due when the window closes: publishes whatever was rated. A window already
 * published (both sides rated) or void (the booking became a no-show) is left alone, so a job that runs
 * twice changes nothing.
 */
export async function closeRatingWindow(deps: BookingsDeps, job: { bookingId: string }): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const window = await lockWindowRow(trx, job.bookingId)
    const now = deps.clock.now()
    if (!window || window.publishedAt || window.voidedAt || now < window.closesAt) return
    await publishWindow(trx, window, now)
  })
}
