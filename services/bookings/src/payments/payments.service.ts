import type { Actor, PaymentSession, PaymentSessionPart } from '@commons/contracts'
import { AppError, conflict, forbidden } from '@commons/service-kit'
import type { NotNull } from 'kysely'
import type Stripe from 'stripe'
import { getBooking } from '../bookings/bookings.service.ts'
import type { BookingsDeps } from '../deps.ts'
import { retrievePaymentIntents } from './stripe-payments.ts'

/** What the payment session needs of Stripe: the API, and the key browsers load Stripe.js with. */
export interface StripeCheckout {
  client: Stripe
  publishableKey: string
}

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
export async function getPaymentSession(
  deps: BookingsDeps,
  stripe: StripeCheckout | undefined,
  actor: Actor,
  id: string,
): Promise<PaymentSession> {
  // getBooking's visibility: whoever may not see the booking learns nothing of it (404).
  const booking = await getBooking(deps, actor, id)
  // The provider and moderators see the booking, but paying is the requesting organization's business.
  if (!actor.roles[booking.requesterOrganizationId])
    throw forbidden('Only members of the requesting organization pay for its bookings.', 'not_a_member')
  if (booking.paymentProvider !== 'stripe')
    throw conflict('payment_not_online', 'This booking is paid to the provider directly, not online.')
  if (!stripe) throw new AppError('stripe_not_configured', 503, 'Stripe payments are not enabled here.')
  if (booking.status !== 'pending_payment')
    throw conflict('payment_not_pending', `The booking is ${booking.status}; it waits for no payment.`)
  const rows = await deps.db
    .selectFrom('payments')
    .select(['purpose', 'amount', 'currency', 'externalId'])
    .where('bookingId', '=', booking.id)
    .where('externalId', 'is not', null)
    .$narrowType<{ externalId: NotNull }>()
    .orderBy('purpose')
    .execute()
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
