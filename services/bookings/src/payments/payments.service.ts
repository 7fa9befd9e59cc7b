import type { Actor, Booking, PaymentSession, PaymentSessionPart } from '@commons/contracts'
import { AppError, conflict, forbidden } from '@commons/service-kit'
import type Stripe from 'stripe'
import { lockAsProvider, visibleBooking } from '../bookings/booking-access.ts'
import { toBookingDto } from '../bookings/booking-dto.ts'
import { saveBooking } from '../bookings/bookings.repository.ts'
import type { BookingsDeps } from '../deps.ts'
import { externalParts, setPaymentsStatus } from './payments.repository.ts'
import { recordProviderAction } from './provider-action.ts'
import { retrievePaymentIntents } from './stripe-payments.ts'

/**
 * 503 `stripe_not_configured`: the same code and status wherever Stripe is needed and not set up. No
 * Retry-After: waiting does not help, an operator has to set STRIPE_SECRET_KEY.
 */
export const stripeNotConfigured = () =>
  new AppError('stripe_not_configured', 503, 'Stripe payments are not enabled here.')

/** A part's status in the booking's terms, from its PaymentIntent's. */
function partStatus(intent: Stripe.PaymentIntent): PaymentSessionPart['status'] {
  switch (intent.status) {
    case 'requires_capture':
      return 'authorized'
    case 'succeeded':
      return 'paid'
    case 'canceled':
      return 'released'
    case 'requires_payment_method':
      // Stripe puts a declined intent back to requires_payment_method; only last_payment_error tells them apart.
      return intent.last_payment_error ? 'failed' : 'authorizing'
    default:
      return 'authorizing'
  }
}

/**
 * `GET /v1/bookings/:id/payment-session`. Client secrets are read from Stripe on every call, not stored: one
 * lets whoever holds it confirm the intent with any card, so it lives only at Stripe and in the payer's
 * browser. The part statuses come from the same read, so a part confirmed a moment ago counts as authorised
 * even before its webhook has arrived, and the browser does not try to confirm it twice.
 */
export async function getPaymentSession(deps: BookingsDeps, actor: Actor, id: string): Promise<PaymentSession> {
  // Whoever may not see the booking learns nothing of it (404).
  const booking = toBookingDto(await visibleBooking(deps.db, actor, id))
  const stripe = deps.stripe
  // The provider and moderators see the booking, but paying is the requesting organization's business.
  if (!actor.roles[booking.requesterOrganizationId])
    throw forbidden('Only members of the requesting organization pay for its bookings.', 'not_a_member')
  if (booking.paymentProvider !== 'stripe')
    throw conflict('payment_not_online', 'This booking is paid to the provider directly, not online.')
  if (!stripe) throw stripeNotConfigured()
  if (booking.status !== 'pending_payment')
    throw conflict('payment_not_pending', `The booking is ${booking.status}; it waits for no payment.`)
  const rows = await externalParts(deps.db, booking.id)
  const intents = await retrievePaymentIntents(
    stripe.client,
    rows.map((r) => r.externalId),
  )
  return {
    provider: 'stripe',
    publishableKey: stripe.publishableKey,
    parts: rows.map((row, i) => {
      const intent = intents[i]
      if (!intent?.client_secret)
        throw new AppError('payment_provider_error', 502, `Stripe gave no client secret for ${row.externalId}.`)
      return {
        purpose: row.purpose,
        amount: row.amount,
        currency: row.currency,
        status: partStatus(intent),
        clientSecret: intent.client_secret,
      }
    }),
  }
}

/**
 * `POST /v1/bookings/:id/payment` (offline): the provider records the money received. 409
 * `payment_not_offline` where payments are taken online (this service, or the booking, uses Stripe).
 */
export async function recordOfflinePayment(
  deps: BookingsDeps,
  actor: Actor,
  id: string,
  body: { method: string; reference: string },
): Promise<Booking> {
  if (deps.payments.name !== 'offline') throw paymentNotOffline('Payments are taken online here.')
  return deps.db.transaction().execute(async (trx) => {
    const { row, parties } = await lockAsProvider(trx, actor, id, 'Only the provider records a payment received.')
    if (row.paymentProvider !== 'offline')
      throw paymentNotOffline('This booking is paid online; its payment is recorded by the provider.')
    if (row.paymentStatus !== 'due') throw conflict('payment_not_due', `The payment is ${row.paymentStatus}.`)
    const now = deps.clock.now()
    await setPaymentsStatus(trx, id, 'paid', now, body)
    const saved = await saveBooking(trx, id, { status: row.status, paymentStatus: 'paid', reason: row.reason, now })
    return recordProviderAction(trx, {
      actor,
      parties,
      action: 'record_payment',
      before: row,
      saved,
      reason: `${body.method}: ${body.reference}`,
      now,
    })
  })
}

const paymentNotOffline = (detail: string) => conflict('payment_not_offline', detail)
