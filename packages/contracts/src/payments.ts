import { z } from 'zod'
import { PaymentStatus } from './bookings.ts'

/** What a part of a booking's payment pays for: the price, or the refundable deposit. */
export const PaymentPurpose = z.enum(['charge', 'deposit']).meta({ id: 'PaymentPurpose' })
export type PaymentPurpose = z.infer<typeof PaymentPurpose>

/** One PaymentIntent of a booking, as the browser confirms it with Stripe.js. */
export const PaymentSessionPart = z
  .object({
    purpose: PaymentPurpose,
    amount: z.number().int().describe('Minor units (fen for CNY)'),
    currency: z.string().describe('ISO 4217, as in the booking price'),
    status: PaymentStatus.describe(
      "This part's own status, from the PaymentIntent as Stripe reports it now: `authorizing` still needs a card " +
        '(`failed` too, after a declined one); `authorized` is done',
    ),
    clientSecret: z
      .string()
      .describe('Stripe.js `confirmCardPayment(clientSecret, ...)`; a secret of the payer, never to be stored'),
  })
  .meta({ id: 'PaymentSessionPart' })
export type PaymentSessionPart = z.infer<typeof PaymentSessionPart>

/**
 * `GET /v1/bookings/:id/payment-session`: what the payer's browser needs to authorise a `pending_payment`
 * booking with Stripe.js, loaded with `publishableKey`. Each part is confirmed on its own; the booking moves
 * on once Stripe has told the service (webhook) that every part is authorised.
 */
export const PaymentSession = z
  .object({
    provider: z.literal('stripe'),
    publishableKey: z.string(),
    parts: z.array(PaymentSessionPart),
  })
  .meta({ id: 'PaymentSession' })
export type PaymentSession = z.infer<typeof PaymentSession>
