import { setTimeout as sleep } from 'node:timers/promises'
import { sql, type Transaction } from 'kysely'
import type { BookingEvent } from '../bookings/booking-machine.ts'
import { lockBooking } from '../bookings/bookings.repository.ts'
import { applyTransition, releaseDeposit } from '../bookings/bookings.service.ts'
import type { DB, TimerKind } from '../db/schema.ts'
import type { BookingsDeps } from '../deps.ts'

const EVENT_OF: Record<Exclude<TimerKind, 'deposit_release'>, { event: BookingEvent; from: string }> = {
  payment_hold: { event: 'payment_expire', from: 'pending_payment' },
  request_expiry: { event: 'request_expire', from: 'requested' },
  auto_complete: { event: 'auto_complete', from: 'confirmed' },
}

/**
 * Runs the timers due by the deps' clock, one per transaction: the timer row is taken with FOR UPDATE SKIP
 * LOCKED (so replicas share the work and never run one twice) and marked done in the same transaction as
 * the booking's transition, so a crash in between runs it again rather than losing it. A timer whose booking
 * has moved on is just marked done. Returns how many ran.
 */
export async function runDueTimers(deps: BookingsDeps, max = 100): Promise<number> {
  let ran = 0
  while (ran < max) {
    const took = await deps.db.transaction().execute(async (trx) => {
      const now = deps.clock.now()
      const timer = await trx
        .selectFrom('timers')
        .selectAll()
        .where('doneAt', 'is', null)
        .where('runAt', '<=', now)
        .orderBy('runAt')
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst()
      if (!timer) return false
      const booking = await lockBooking(trx, timer.bookingId)
      if (timer.kind === 'deposit_release') {
        if (booking) await releaseDeposit(trx, deps, booking)
        await markDone(trx, timer.id, now)
        return true
      }
      const { event, from } = EVENT_OF[timer.kind]
      if (booking && booking.status === from) {
        await applyTransition(trx, deps, booking, event, {
          actorUserId: null,
          parties: ['system'],
          moderatorOverride: false,
          reason: `timer:${timer.kind}`,
        })
      }
      await markDone(trx, timer.id, now)
      return true
    })
    if (!took) break
    ran += 1
  }
  return ran
}

async function markDone(trx: Transaction<DB>, id: number, now: Date) {
  await trx
    .updateTable('timers')
    .set({ doneAt: now, attempts: sql<number>`attempts + 1` })
    .where('id', '=', id)
    .execute()
}

/** A running timer worker. */
export interface TimerWorker {
  stop(): Promise<void>
}

/** Polls for due timers every `intervalMs` until stopped; a failing poll is logged and retried. */
export function startTimerWorker(
  deps: BookingsDeps,
  opts: { intervalMs: number; log: { warn(obj: object, msg: string): void } },
): TimerWorker {
  const stopping = new AbortController()
  const loop = async () => {
    while (!stopping.signal.aborted) {
      try {
        await runDueTimers(deps)
      } catch (error) {
        if (stopping.signal.aborted) break
        opts.log.warn({ err: error }, 'timer poll failed; retrying')
      }
      await sleep(opts.intervalMs, undefined, { signal: stopping.signal }).catch(() => {})
    }
  }
  const running = loop()
  return {
    async stop() {
      stopping.abort()
      await running
    },
  }
}
