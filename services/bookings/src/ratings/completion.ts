import { BOOKINGS_EVENTS, BookingChangedPayload, type FeedEvent } from '@commons/contracts'
import { type ConsumerHandle, type ConsumerLog, readFeed, startConsumer } from '@commons/db'
import type { Transaction } from 'kysely'
import { findBooking } from '../bookings/bookings.repository.ts'
import { creditVolunteerBooking, reverseVolunteerBooking } from '../credits/credits.service.ts'
import type { DB } from '../db/schema.ts'
import type { BookingsDeps } from '../deps.ts'
import { lockWindow, voidWindow } from './rating-windows.ts'

/**
 * Reacts to the bookings service's own `booking.changed` events: a completed booking opens its rating
 * window and, for volunteer time, credits the hours; a booking that leaves `completed` (a no-show reported
 * after completion) or never got there (cancelled, no-show) voids an unpublished window and reverses any
 * credit. It acts on the booking's current row, not on the event's snapshot, so replays and late
 * deliveries settle on the same result (every effect is idempotent by a unique key).
 */
export async function applyBookingChanged(trx: Transaction<DB>, deps: BookingsDeps, event: FeedEvent): Promise<void> {
  if (event.type !== BOOKINGS_EVENTS.bookingChanged) return
  const parsed = BookingChangedPayload.safeParse(event.payload)
  if (!parsed.success) return
  const status = parsed.data.booking.status
  if (status !== 'completed' && status !== 'no_show' && status !== 'cancelled') return
  // Not locked: a rating's transaction inserts the window (a foreign-key share lock on the booking) before
  // it would wait for this one's window insert, so a FOR UPDATE here could deadlock with it. A status that
  // changes meanwhile arrives as the next event and is settled then.
  const booking = await findBooking(trx, parsed.data.booking.id)
  if (!booking) return
  const now = deps.clock.now()
  if (booking.status === 'completed') {
    await lockWindow(trx, deps.jobs, booking)
    await creditVolunteerBooking(trx, booking, now)
  } else if (booking.status === 'no_show' || booking.status === 'cancelled') {
    await voidWindow(trx, booking.id, now)
    await reverseVolunteerBooking(trx, booking.id, now)
  }
}

/**
 * The consumer `bookings.ratings` over this service's own feed, read in-process with `readFeed` (the same
 * commit-ordered feed other services read over HTTP), so the booking code needs no hook. Its `drain()` also
 * rejects when applying an event fails meanwhile: the consumer itself only logs and retries with backoff,
 * so a caller waiting to catch up (tests, scripts) would otherwise wait for ever on an effect that always
 * fails, and learn nothing of why.
 */
export function startCompletionConsumer(
  deps: BookingsDeps,
  opts: { registry?: Parameters<typeof startConsumer>[0]['registry']; log?: ConsumerLog; pollIntervalMs?: number },
): ConsumerHandle {
  const waiting = new Set<(error: unknown) => void>()
  const consumer = startConsumer({
    db: deps.db,
    name: 'bookings.ratings',
    source: (after, limit) => readFeed(deps.db, { after, limit }),
    handle: async (trx, event) => {
      try {
        await applyBookingChanged(trx, deps, event)
      } catch (error) {
        for (const fail of waiting) fail(error)
        throw error
      }
    },
    ...(opts.registry ? { registry: opts.registry } : {}),
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.pollIntervalMs ? { pollIntervalMs: opts.pollIntervalMs } : {}),
  })
  return {
    ...consumer,
    drain: () =>
      new Promise<void>((resolve, reject) => {
        const fail = (error: unknown) => {
          waiting.delete(fail)
          reject(error)
        }
        waiting.add(fail)
        consumer.drain().then(
          () => {
            waiting.delete(fail)
            resolve()
          },
          (error: unknown) => fail(error),
        )
      }),
  }
}
