import { Booking, IdParams, PaymentSession, RecordPaymentBody, ReportDamageBody } from '@commons/contracts'
import { type App, requireActor } from '@commons/service-kit'
import type { BookingsDeps } from '../deps.ts'
import { reportDamage } from './deposits.service.ts'
import { getPaymentSession, recordOfflinePayment } from './payments.service.ts'

const security = [{ bearerAuth: [] }]

/** The money of a booking: damage reports on the deposit, offline payments received, online payment sessions. */
export function registerPaymentRoutes(app: App, deps: BookingsDeps) {
  app.post(
    '/v1/bookings/:id/damage',
    {
      schema: {
        operationId: 'reportBookingDamage',
        tags: ['bookings'],
        security,
        params: IdParams,
        body: ReportDamageBody,
        response: { 200: Booking },
      },
    },
    async (request) => reportDamage(deps, requireActor(request), request.params.id, request.body),
  )
  app.post(
    '/v1/bookings/:id/payment',
    {
      schema: {
        operationId: 'recordBookingPayment',
        tags: ['bookings'],
        security,
        params: IdParams,
        body: RecordPaymentBody,
        response: { 200: Booking },
      },
    },
    async (request) => recordOfflinePayment(deps, requireActor(request), request.params.id, request.body),
  )
  app.get(
    '/v1/bookings/:id/payment-session',
    {
      schema: {
        operationId: 'getPaymentSession',
        tags: ['payments'],
        security,
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
      return getPaymentSession(deps, requireActor(request), request.params.id)
    },
  )
}
