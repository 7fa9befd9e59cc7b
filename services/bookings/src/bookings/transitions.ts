import { appendEvent } from '@commons/db'
import type { Transaction } from 'kysely'
import type { BookingRow, DB, PaymentStatus } from '../db/schema.ts'
import type { BookingsDeps } from '../deps.ts'
import { rulesOf } from '../listings/listing-terms.ts'
import type { PaymentStep } from '../payments/payment-provider.ts'
import { takePaymentStep } from '../payments/payment-steps.ts'
import { paymentSubject, setChargeRefunded, setPaymentsStatus } from '../payments/payments.repository.ts'
import { instantBookAllowed } from '../reputation/reputation.service.ts'
import { cancelTimers, scheduleTimer } from '../timers/timers.repository.ts'
import { DAY, HOUR, MINUTE } from '../units.ts'
import { bookingChanged } from './booking-dto.ts'
import { actingRole, type BookingEvent, nextStatus, type Party } from './booking-machine.ts'
import { audit, saveBooking } from './bookings.repository.ts'
import { cancellationRefund, cancelsAsProvider } from './cancellation.ts'

/** How long a paid booking holds its slot while the payment is authorised. */
export const PAYMENT_HOLD_MS = 15 * MINUTE
/** A request expires when unanswered this long, or 1 h before the start, whichever comes first. */
export const REQUEST_TTL_MS = 2 * DAY
/** Confirmed bookings complete by themselves this long after their end. */
export const AUTO_COMPLETE_AFTER_MS = DAY
/** The provider may report damage (and keep the deposit) this long after the end. */
export const DAMAGE_WINDOW_MS = 2 * DAY

/** Who moved a booking: a user acting for some parties (or overriding as a moderator), or the system. */
export interface TransitionCause {
  actorUserId: string | null
  parties: Party[]
  moderatorOverride: boolean
  reason: string | null
}

/** What the system does on its own, with no user behind it (timers, payment webhooks). */
export const systemCause = (reason: string | null): TransitionCause => ({
  actorUserId: null,
  parties: ['system'],
  moderatorOverride: false,
  reason,
})

/** The timer a booking in its current state waits for, if any. */
export function timerFor(row: BookingRow, now: Date) {
  switch (row.status) {
    case 'pending_payment':
      return { kind: 'payment_hold' as const, runAt: new Date(now.getTime() + PAYMENT_HOLD_MS) }
    case 'requested':
      return {
        kind: 'request_expiry' as const,
        runAt: new Date(Math.min(now.getTime() + REQUEST_TTL_MS, row.startAt.getTime() - HOUR)),
      }
    case 'confirmed':
      return { kind: 'auto_complete' as const, runAt: new Date(row.endAt.getTime() + AUTO_COMPLETE_AFTER_MS) }
    case 'completed':
    case 'no_show':
      // The deposit stays authorised while the provider may still report damage.
      return row.price.deposit > 0 && row.depositRetained === 0
        ? { kind: 'deposit_release' as const, runAt: new Date(row.endAt.getTime() + DAMAGE_WINDOW_MS) }
        : undefined
    default:
      return undefined
  }
}

/** Schedules the timer a booking's current state waits for, if any. */
export async function scheduleTimerOf(
  trx: Transaction<DB>,
  deps: Pick<BookingsDeps, 'jobs'>,
  row: BookingRow,
  now: Date,
): Promise<void> {
  const timer = timerFor(row, now)
  if (timer) await scheduleTimer(trx, deps.jobs, row.id, timer.kind, timer.runAt)
}

/**
 * Applies an event to a locked booking: the new state, the money that moves with it, the next timer, the
 * audit entry and the `booking.changed` event. The one place a booking changes state, whether a participant
 * asked (HTTP), a timer ran or a payment webhook arrived.
 */
export async function applyTransition(
  trx: Transaction<DB>,
  deps: BookingsDeps,
  row: BookingRow,
  event: BookingEvent,
  by: TransitionCause,
): Promise<BookingRow> {
  const now = deps.clock.now()
  let status = nextStatus(row.status, event)
  const rules = await rulesOf(trx, row.listingId)
  // An instant-book listing confirms as soon as the payment is authorised.
  if (event === 'paid') {
    if (rules?.mode === 'instant' && (await instantBookAllowed(trx, row.requesterOrganizationId, now))) {
      status = 'confirmed'
    }
  }
  const subject = await paymentSubject(trx, row)
  let paymentStatus: PaymentStatus = event === 'paid' ? 'authorized' : row.paymentStatus
  let refunded = row.refundedAmount
  const step = (s: PaymentStep) => takePaymentStep(trx, deps, subject, paymentStatus, s, now)
  if (status === 'confirmed') paymentStatus = await step({ step: 'capture' })
  if (status === 'declined' || status === 'expired' || status === 'payment_expired')
    paymentStatus = await step({ step: 'release' })
  if (status === 'cancelled') {
    const byProvider = cancelsAsProvider(by.parties, by.moderatorOverride)
    const refund = cancellationRefund({ ...row, paymentStatus }, byProvider, now)
    if (paymentStatus === 'paid') {
      refunded = refund.amount
      paymentStatus = await step({ step: 'refund', amount: refunded })
    } else {
      paymentStatus = await step({ step: 'release' })
    }
  }
  const moneyBack = refunded !== row.refundedAmount ? refunded : undefined
  const saved = await saveBooking(trx, row.id, {
    status,
    paymentStatus,
    reason: by.reason ?? row.reason,
    ...(moneyBack === undefined ? {} : { refundedAmount: moneyBack }),
    now,
  })
  if (moneyBack !== undefined) await setChargeRefunded(trx, row.id, moneyBack, now)
  // Offline payment rows follow the booking; Stripe rows follow the PaymentIntents (webhooks).
  if (row.paymentProvider === 'offline') await setPaymentsStatus(trx, row.id, paymentStatus, now)
  // Whatever timer the old state waited for is moot; the new state may wait for another.
  await cancelTimers(trx, deps.jobs, row.id)
  await scheduleTimerOf(trx, deps, saved, now)
  await audit(trx, {
    bookingId: row.id,
    actorUserId: by.actorUserId,
    actorRole: actingRole(event, by),
    action: event,
    fromStatus: row.status,
    toStatus: saved.status,
    reason: by.reason,
    moderatorOverride: by.moderatorOverride,
    at: now,
  })
  await appendEvent(trx, bookingChanged(saved))
  return saved
}
