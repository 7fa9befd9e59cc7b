import { IdParams, PaymentSession } from '@commons/contracts'
import { type App, requireActor } from '@commons/service-kit'
import type { BookingsDeps } from '../deps.ts'
import { getPaymentSession, type StripeCheckout } from './payments.service.ts'

/** The payer's side of online payments. */
export function registerPaymentRoutes(app: App, deps: BookingsDeps, stripe: StripeCheckout | undefined) {
  app.get(
    '/v1/bookings/:id/payment-session',
    {
      schema: {
        operationId: 'getPaymentSession',
        tags: ['payments'],
        security: [{ bearerAuth: [] }],
        description:
          'What the browser needs to authorise a pending_payment booking with Stripe.js: the publishable key and ' +
          "each PaymentIntent's client secret. Members of the requesting organization only.",
        params: IdParams,
        response: { 200: PaymentSession },
      },
    },
    async (request, reply) => {
      // Client secrets must not linger in a shared or browser cache.
      reply.header('cache-control', 'no-store')
      return getPaymentSession(deps, stripe, requireActor(request), request.params.id)
    },
  )
}
