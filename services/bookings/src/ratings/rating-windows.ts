import type { Transaction } from 'kysely'
import type { BookingRow, DB, RatingWindowRow } from '../db/schema.ts'
import type { BookingsDeps } from '../deps.ts'
import { publishReputation, subjectsOf } from '../reputation/reputation.service.ts'
import { DAY } from '../units.ts'
import { type Poller, runDue, startPoller } from '../workers/due-loop.ts'
import {
  completedAtOf,
  insertWindow,
  lockWindowRow,
  markWindowPublished,
  publishRatingsOf,
  takeDueWindow,
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
export async function lockWindow(trx: Transaction<DB>, booking: BookingRow): Promise<RatingWindowRow> {
  const existing = await lockWindowRow(trx, booking.id)
  if (existing) return existing
  const at = (await completedAtOf(trx, booking.id)) ?? booking.updatedAt
  await insertWindow(trx, {
    bookingId: booking.id,
    completedAt: at,
    closesAt: new Date(at.getTime() + RATING_WINDOW_MS),
    publishedAt: null,
    voidedAt: null,
  })
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
}

/** Publishes the ratings of windows that closed by the clock, one window per transaction. Returns how many. */
export function closeDueRatingWindows(deps: BookingsDeps, max = 100): Promise<number> {
  return runDue(
    deps.db,
    async (trx) => {
      const now = deps.clock.now()
      const window = await takeDueWindow(trx, now)
      if (!window) return false
      await publishWindow(trx, window, now)
      return true
    },
    max,
  )
}

/** Polls for closed rating windows every `intervalMs` until stopped. */
export function startWindowWorker(
  deps: BookingsDeps,
  opts: { intervalMs: number; log: { warn(obj: object, msg: string): void } },
): Poller {
  return startPoller('rating window', () => closeDueRatingWindows(deps), opts)
}
