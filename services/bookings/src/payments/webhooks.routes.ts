import { type App, badRequest } from '@commons/service-kit'
import type Stripe from 'stripe'
import { z } from 'zod'
import type { BookingsDeps } from '../deps.ts'
import { stripeNotConfigured } from './payments.service.ts'
import { handleStripeEvent } from './webhooks.service.ts'

const WebhookAnswer = z.object({ received: z.boolean(), outcome: z.enum(['applied', 'duplicate', 'ignored']) })

/**
 * `POST /v1/webhooks/stripe`. The signature covers the exact bytes Stripe sent, so this route reads the body
 * raw (its own content-type parser, scoped to this plugin) and verifies it before parsing anything.
 */
export function registerWebhookRoutes(app: App, deps: BookingsDeps) {
  const stripe = deps.stripe
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body))
    scope.post(
      '/v1/webhooks/stripe',
      {
        schema: {
          operationId: 'receiveStripeWebhook',
          tags: ['webhooks'],
          description: 'Stripe events, signed (Stripe-Signature header) and deduplicated by event id.',
          response: { 200: WebhookAnswer },
        },
      },
      async (request) => {
        if (!stripe) throw stripeNotConfigured()
        const signature = request.headers['stripe-signature']
        const raw = request.body
        if (typeof signature !== 'string' || !Buffer.isBuffer(raw))
          throw badRequest('A signed Stripe event is expected.', 'invalid_signature')
        let event: Stripe.Event
        try {
          event = stripe.client.webhooks.constructEvent(raw, signature, stripe.webhookSecret)
        } catch {
          throw badRequest('The Stripe signature does not match the body.', 'invalid_signature')
        }
        return { received: true, outcome: await handleStripeEvent(deps, event) }
      },
    )
  })
}
