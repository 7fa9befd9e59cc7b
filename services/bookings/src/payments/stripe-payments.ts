import { AppError } from '@commons/service-kit'
import Stripe from 'stripe'
import type { PaymentPart, PaymentProvider, PaymentSubject } from './payment-provider.ts'

/** Options of the Stripe client; `apiUrl` points the SDK at another Stripe-compatible server (tests). */
export interface StripeOptions {
  secretKey: string
  apiUrl?: string | undefined
  timeoutMs: number
  maxNetworkRetries: number
}

/** Stripe as this service is configured for it: the API, the webhook secret and the browsers' key. */
export interface StripeSetup {
  client: Stripe
  webhookSecret: string
  /** Handed to browsers to load Stripe.js with. */
  publishableKey: string
}

/** A Stripe SDK client from the service's settings. */
export function stripeClient(opts: StripeOptions): Stripe {
  const target = opts.apiUrl ? new URL(opts.apiUrl) : undefined
  return new Stripe(opts.secretKey, {
    timeout: opts.timeoutMs,
    maxNetworkRetries: opts.maxNetworkRetries,
    ...(target
      ? {
          host: target.hostname,
          port: Number(target.port || (target.protocol === 'https:' ? 443 : 80)),
          protocol: target.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
  })
}

/** Stripe's "already in that state" answers: a retried cancel or capture that already happened. */
const alreadyDone = (error: unknown) =>
  error instanceof Stripe.errors.StripeInvalidRequestError && error.code === 'payment_intent_unexpected_state'

async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    if (error instanceof AppError) throw error
    const detail = error instanceof Error ? error.message : String(error)
    throw new AppError('payment_provider_error', 502, `Stripe could not ${what}: ${detail}`)
  }
}

/** The PaymentIntents as Stripe has them now, client secrets included (read with the secret key). */
export async function retrievePaymentIntents(stripe: Stripe, ids: readonly string[]): Promise<Stripe.PaymentIntent[]> {
  return call('read the payment', () => Promise.all(ids.map((id) => stripe.paymentIntents.retrieve(id))))
}

/**
 * PaymentIntents with manual capture: the charge and the deposit are authorised separately when a paid
 * booking is created, the charge is captured on confirm, both are cancelled on decline or expiry, a
 * cancellation refunds the captured charge by policy, and completion releases the deposit. Every call
 * carries an idempotency key derived from the booking, part and step, so a retry (the SDK's own after a
 * timeout, or the payment-steps job's after a failure) never creates or moves money twice.
 */
export function stripePayments(stripe: Stripe): PaymentProvider {
  const key = (s: PaymentSubject, part: PaymentPart['purpose'], step: string) =>
    `booking-${s.bookingId}-${part}-${step}`
  const part = (s: PaymentSubject, purpose: PaymentPart['purpose']) =>
    s.parts.find((p) => p.purpose === purpose && p.externalId)
  const cancel = async (s: PaymentSubject, purpose: PaymentPart['purpose']) => {
    const p = part(s, purpose)
    if (!p?.externalId) return
    const id = p.externalId
    await call('cancel the authorisation', async () => {
      try {
        await stripe.paymentIntents.cancel(id, {}, { idempotencyKey: key(s, purpose, 'cancel') })
      } catch (error) {
        if (!alreadyDone(error)) throw error
      }
    })
  }

  const capture = async (s: PaymentSubject, purpose: PaymentPart['purpose'], amount?: number) => {
    const p = part(s, purpose)
    if (!p?.externalId) return
    const id = p.externalId
    // Capturing less than authorised releases the remainder (Stripe's partial capture).
    await call(purpose === 'charge' ? 'capture the payment' : 'keep the deposit', async () => {
      try {
        await stripe.paymentIntents.capture(id, amount === undefined ? {} : { amount_to_capture: amount }, {
          idempotencyKey: key(s, purpose, 'capture'),
        })
      } catch (error) {
        if (!alreadyDone(error)) throw error
      }
    })
  }

  return {
    name: 'stripe',
    remote: true,
    async open(s) {
      const externalIds: Partial<Record<PaymentPart['purpose'], string>> = {}
      const parts: Array<[PaymentPart['purpose'], number]> = [
        ['charge', s.price.amount],
        ['deposit', s.price.deposit],
      ]
      for (const [purpose, amount] of parts) {
        if (amount <= 0) continue
        const intent = await call('authorise the payment', () =>
          stripe.paymentIntents.create(
            {
              amount,
              currency: s.price.currency.toLowerCase(),
              capture_method: 'manual',
              metadata: { booking_id: s.bookingId, purpose },
            },
            { idempotencyKey: key(s, purpose, 'create') },
          ),
        )
        externalIds[purpose] = intent.id
      }
      const opened = Object.keys(externalIds).length > 0
      return { status: opened ? 'authorizing' : 'none', holdsForPayment: opened, externalIds }
    },
    statusAfter(s, current, step) {
      switch (step.step) {
        case 'capture':
          return part(s, 'charge') && current === 'authorized' ? 'paid' : current
        case 'release':
          return current === 'none' ? 'none' : 'released'
        case 'refund':
          if (current !== 'paid') return current === 'none' ? 'none' : 'released'
          return step.amount > 0 ? 'refunded' : 'paid'
        default:
          return current
      }
    },
    async perform(s, current, step) {
      switch (step.step) {
        case 'capture':
          if (current === 'authorized') await capture(s, 'charge')
          return
        case 'release':
          await cancel(s, 'charge')
          await cancel(s, 'deposit')
          return
        case 'refund': {
          const charge = part(s, 'charge')
          if (current === 'paid' && charge?.externalId && step.amount > 0) {
            const id = charge.externalId
            const amount = step.amount
            await call('refund the payment', () =>
              stripe.refunds.create({ payment_intent: id, amount }, { idempotencyKey: key(s, 'charge', 'refund') }),
            )
          }
          await cancel(s, 'deposit')
          if (current !== 'paid') await cancel(s, 'charge')
          return
        }
        case 'release_deposit':
          await cancel(s, 'deposit')
          return
        case 'retain_deposit':
          await capture(s, 'deposit', step.amount)
          return
      }
    },
  }
}

/** Booking-level status a Stripe PaymentIntent event speaks of, with its rank: events never lower it. */
export const INTENT_STATUS: Record<string, { status: string; rank: number }> = {
  'payment_intent.payment_failed': { status: 'failed', rank: 1 },
  'payment_intent.amount_capturable_updated': { status: 'authorized', rank: 2 },
  'payment_intent.succeeded': { status: 'captured', rank: 3 },
  'payment_intent.canceled': { status: 'canceled', rank: 3 },
}

/** Rank of a stored payment row status (see INTENT_STATUS); unknown statuses rank lowest. */
export const rankOf = (status: string): number =>
  ({ authorizing: 0, failed: 1, authorized: 2, captured: 3, canceled: 3, refunded: 4 })[status] ?? 0
