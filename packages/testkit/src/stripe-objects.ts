import { createHmac, randomBytes } from 'node:crypto'

/** The Stripe objects the test server keeps and sends, and the wire helpers its parts share. */
export interface PaymentIntent {
  id: string
  object: 'payment_intent'
  amount: number
  amount_capturable: number
  amount_received: number
  currency: string
  capture_method: string
  status: 'requires_payment_method' | 'requires_capture' | 'canceled' | 'succeeded'
  /** Lets a browser holding it (with the publishable key) confirm or read this intent. */
  client_secret: string
  payment_method: string | null
  /** Why the last confirmation failed; cleared when one succeeds. */
  last_payment_error: StripeErrorObject | null
  metadata: Record<string, string>
  created: number
  livemode: false
}

/** Stripe's error object: the `error` of an error answer, and an intent's `last_payment_error`. */
export interface StripeErrorObject {
  type: string
  message: string
  code?: string
  decline_code?: string
  param?: string
  payment_method?: { id: string; object: 'payment_method'; type: 'card' }
  payment_intent?: Partial<PaymentIntent>
}

export interface Refund {
  id: string
  object: 'refund'
  amount: number
  payment_intent: string
  status: 'succeeded'
  currency: string
  created: number
}

/** What a test can ask of the next matching request. */
export interface Trap {
  method: string
  path: RegExp
  /** Answer with this Stripe error instead of handling the request. */
  error?: { status: number; type: string; code?: string; message: string }
  /** Handle the request, but hold the answer back this long (longer than the SDK's timeout: a timeout). */
  delayMs?: number
}

/** Where events go, as a Stripe webhook endpoint is configured. */
export interface WebhookTarget {
  /** e.g. `http://127.0.0.1:4103/v1/webhooks/stripe` */
  url: string
  /** The endpoint's signing secret (`whsec_...`), as the receiver's STRIPE_WEBHOOK_SECRET. */
  secret: string
  /** Tries per event, the first included (default 4). Stripe keeps trying for days; a test cannot. */
  attempts?: number
  /** Wait before the first retry, doubled for each further one (default 100 ms). */
  retryDelayMs?: number
}

/** One event sent to the webhook endpoint: each attempt's HTTP status, or its connection error. */
export interface WebhookDelivery {
  event: StripeEvent
  attempts: Array<number | string>
  delivered: boolean
}

export interface StripeTestServer {
  port: number
  url: string
  /** The Stripe.js test double, for a page's `<script src>` in place of https://js.stripe.com/v3/. */
  stripeJsUrl: string
  intents: Map<string, PaymentIntent>
  refunds: Map<string, Refund>
  /** Every API request as received, in order (not CORS preflights nor the script). */
  requests: Array<{ method: string; path: string; idempotencyKey: string | undefined }>
  /** Every event the server made, in order, whether or not it was delivered. */
  events: StripeEvent[]
  /** Every event sent to the webhook endpoint since `deliverWebhooks`, in the order they were made. */
  deliveries: WebhookDelivery[]
  /** The next request matching method and path fails (or is delayed) as described. */
  trapNext(trap: Trap): void
  /** The customer authorised the intent: it now awaits capture. Returns the webhook event object. */
  authorize(id: string): StripeEvent
  /** The customer's card was declined. Returns the webhook event object. */
  decline(id: string): StripeEvent
  /** An event object of `type` about the intent as it is now (made for the test only, never delivered). */
  eventFor(type: string, id: string): StripeEvent
  /** From now on, POST every event to the target, signed, like Stripe does for a webhook endpoint. */
  deliverWebhooks(target: WebhookTarget): void
  /** Resolves once every event made so far was delivered or ran out of attempts. */
  webhooksDelivered(): Promise<void>
  close(): Promise<void>
}

export interface StripeEvent {
  id: string
  object: 'event'
  type: string
  created: number
  livemode: false
  api_version: string
  data: { object: PaymentIntent }
}

/** Which kind of key a request came with: the server's own (SDK) or a publishable one (a browser). */
export type Access = 'secret' | 'publishable'

export const API_VERSION = '2025-01-01'
export const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`
export const now = () => Math.floor(Date.now() / 1000)

/** Stripe's test PaymentMethods this server knows, and whether a card confirmation with each succeeds. */
export const TEST_PAYMENT_METHODS: Readonly<Record<string, 'succeeds' | 'declined'>> = {
  pm_card_visa: 'succeeds',
  pm_card_chargeDeclined: 'declined',
}

/** Browsers call confirm and retrieve cross-origin with an Authorization header, hence a preflight. */
export const CORS = { 'access-control-allow-origin': '*' }
export const PREFLIGHT = {
  ...CORS,
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, idempotency-key, stripe-version',
  'access-control-max-age': '600',
}

/** The header Stripe signs a webhook with: HMAC-SHA256 of `${t}.${payload}` keyed by the endpoint secret. */
export function stripeSignature(payload: string, secret: string, timestamp = now()): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex')
  return `t=${timestamp},v1=${v1}`
}

/** Parses Stripe's form encoding (`metadata[booking_id]=...`) into a nested object. */
export function parseForm(body: string): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const parts = rawKey.split(/\[|\]/).filter(Boolean)
    let target = out
    for (const part of parts.slice(0, -1)) {
      target[part] ??= {}
      target = target[part] as Record<string, unknown>
    }
    target[parts.at(-1)!] = value
  }
  return out
}

/** What a publishable key may see of an intent (Stripe leaves out metadata and the amounts moved). */
export function publicView(intent: PaymentIntent): Partial<PaymentIntent> {
  return {
    id: intent.id,
    object: intent.object,
    amount: intent.amount,
    currency: intent.currency,
    capture_method: intent.capture_method,
    status: intent.status,
    client_secret: intent.client_secret,
    payment_method: intent.payment_method,
    last_payment_error: intent.last_payment_error,
    created: intent.created,
    livemode: intent.livemode,
  }
}
