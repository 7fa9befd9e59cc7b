import type Stripe from 'stripe'
import { lockBooking, savePaymentFailed } from '../bookings/bookings.repository.ts'
import { applyTransition, systemCause } from '../bookings/transitions.ts'
import type { BookingsDeps } from '../deps.ts'
import {
  bookingIdOfPayment,
  lockPaymentByExternalId,
  paymentStatuses,
  setPaymentStatus,
} from './payments.repository.ts'
import { INTENT_STATUS, rankOf } from './stripe-payments.ts'

/** What became of a webhook event. */
export type WebhookOutcome = 'applied' | 'duplicate' | 'ignored'

/**
 * Applies a verified Stripe event. Deduplicated by event id (the id is stored in the same transaction as the
 * effect), and monotonic: a PaymentIntent's stored status only moves up its rank, so an event that arrives
 * late (e.g. `amount_capturable_updated` after the capture's `succeeded`) changes nothing, and a booking is
 * only ever moved forward by the state machine.
 */
export async function handleStripeEvent(deps: BookingsDeps, event: Stripe.Event): Promise<WebhookOutcome> {
  return deps.db.transaction().execute(async (trx) => {
    const fresh = await trx
      .insertInto('webhookEvents')
      .values({ eventId: event.id, type: event.type })
      .onConflict((oc) => oc.column('eventId').doNothing())
      .returning('eventId')
      .executeTakeFirst()
    if (!fresh) return 'duplicate'
    const meaning = INTENT_STATUS[event.type]
    if (!meaning) return 'ignored'
    const intent = event.data.object as Stripe.PaymentIntent
    // One lock order everywhere: the booking, then its payments, as every transition takes them. The
    // payment's booking is found unlocked first (a payment never changes booking).
    const bookingId = await bookingIdOfPayment(trx, intent.id)
    if (!bookingId) return 'ignored'
    const booking = await lockBooking(trx, bookingId)
    const payment = await lockPaymentByExternalId(trx, intent.id)
    if (!booking || !payment || meaning.rank <= rankOf(payment.status)) return 'ignored'
    const now = deps.clock.now()
    await setPaymentStatus(trx, payment.id, meaning.status, now)
    if (booking.status !== 'pending_payment') return 'applied'
    if (meaning.status === 'failed') {
      // The payer may try another card until the hold expires; the booking says what happened meanwhile.
      await savePaymentFailed(trx, booking.id, now)
      return 'applied'
    }
    const parts = await paymentStatuses(trx, booking.id)
    if (parts.every((p) => rankOf(p.status) >= rankOf('authorized') && p.status !== 'canceled')) {
      await applyTransition(trx, deps, booking, 'paid', systemCause(null))
    }
    return 'applied'
  })
}
