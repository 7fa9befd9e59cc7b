import { createHmac, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { stripeJsSource } from './stripe-js.ts'

/**
 * A small Stripe-compatible HTTP server for tests (there is no network here): the PaymentIntent and Refund
 * endpoints the real `stripe` SDK calls, form-encoded bodies as the SDK sends them, Stripe's error shape,
 * and Idempotency-Key replay (same key and parameters: the first answer again; other parameters: 400
 * `idempotency_error`), so a retried call never creates a second object. Point the SDK at it with
 * `new Stripe(key, { host: '127.0.0.1', port, protocol: 'http' })`.
 *
 * The customer's side, two ways:
 * - as a browser does it: `POST /v1/payment_intents/:id/confirm` with the publishable key as bearer token
 *   and the intent's `client_secret` in the form body (CORS allowed from any origin). `payment_method`
 *   `pm_card_visa` authorises, `pm_card_chargeDeclined` is declined with Stripe's 402 `card_error`.
 *   `GET /v3/` serves a Stripe.js test double that makes exactly these calls (see stripe-js.ts).
 * - from the test: `authorize(id)` / `decline(id)` change the intent and return the event Stripe would send.
 *
 * Events: every change of an intent's state makes the event Stripe would send (`amount_capturable_updated`,
 * `payment_failed`, `succeeded`, `canceled`). After `deliverWebhooks({ url, secret })` the server POSTs each
 * one to `url`, signed as Stripe signs (`Stripe-Signature: t=...,v1=...`), retrying on a non-2xx answer or
 * a connection error; `webhooksDelivered()` waits until nothing is left to send.
 */
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
interface Trap {
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
type Access = 'secret' | 'publishable'

const API_VERSION = '2025-01-01'
const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`
const now = () => Math.floor(Date.now() / 1000)

/** Stripe's test PaymentMethods this server knows, and whether a card confirmation with each succeeds. */
const TEST_PAYMENT_METHODS: Readonly<Record<string, 'succeeds' | 'declined'>> = {
  pm_card_visa: 'succeeds',
  pm_card_chargeDeclined: 'declined',
}

/** Browsers call confirm and retrieve cross-origin with an Authorization header, hence a preflight. */
const CORS = { 'access-control-allow-origin': '*' }
const PREFLIGHT = {
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
function parseForm(body: string): Record<string, unknown> {
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
function publicView(intent: PaymentIntent): Partial<PaymentIntent> {
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

/** Starts the server on a free loopback port. */
export async function startStripeServer(
  opts: {
    /** Required of server-side calls; unset: any key but a publishable one is accepted. */
    secretKey?: string
    /** Required of browser calls; unset: any `pk_` key is accepted there. */
    publishableKey?: string
  } = {},
): Promise<StripeTestServer> {
  const intents = new Map<string, PaymentIntent>()
  const refunds = new Map<string, Refund>()
  const idempotent = new Map<string, { params: string; status: number; body: string }>()
  const requests: StripeTestServer['requests'] = []
  const events: StripeEvent[] = []
  const deliveries: WebhookDelivery[] = []
  const inFlight = new Set<Promise<void>>()
  const traps: Trap[] = []
  const timers = new Set<NodeJS.Timeout>()
  const stopping = new AbortController()
  let webhooks: WebhookTarget | undefined

  const stripeError = (status: number, error: StripeErrorObject) => ({ status, body: { error } })
  const unexpectedState = (intent: PaymentIntent, action: string) =>
    stripeError(400, {
      type: 'invalid_request_error',
      code: 'payment_intent_unexpected_state',
      message: `You cannot ${action} this PaymentIntent because it has a status of ${intent.status}.`,
      payment_intent: intent,
    })

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer)
        resolve()
      }, ms)
      timers.add(timer)
      stopping.signal.addEventListener('abort', () => resolve(), { once: true })
    })

  async function deliver(target: WebhookTarget, delivery: WebhookDelivery) {
    const payload = JSON.stringify(delivery.event)
    const attempts = target.attempts ?? 4
    // As Stripe does: after the API answer that caused the event, never inside it.
    await new Promise((resolve) => setImmediate(resolve))
    for (let attempt = 0; attempt < attempts && !stopping.signal.aborted; attempt++) {
      if (attempt > 0) await sleep((target.retryDelayMs ?? 100) * 2 ** (attempt - 1))
      if (stopping.signal.aborted) return
      try {
        const res = await fetch(target.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
            // Signed again for every attempt, with the attempt's time, as Stripe does.
            'stripe-signature': stripeSignature(payload, target.secret),
          },
          body: payload,
          signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(10_000)]),
        })
        await res.arrayBuffer()
        delivery.attempts.push(res.status)
        if (res.ok) {
          delivery.delivered = true
          return
        }
      } catch (error) {
        delivery.attempts.push(error instanceof Error ? error.message : String(error))
      }
    }
  }

  const eventFor = (type: string, intentId: string): StripeEvent => {
    const intent = intents.get(intentId)
    if (!intent) throw new Error(`no PaymentIntent ${intentId}`)
    return {
      id: id('evt'),
      object: 'event',
      type,
      created: now(),
      livemode: false,
      api_version: API_VERSION,
      data: { object: structuredClone(intent) },
    }
  }

  /** An intent changed: the event Stripe would make, sent to the webhook endpoint if there is one. */
  const emit = (type: string, intentId: string): StripeEvent => {
    const event = eventFor(type, intentId)
    events.push(event)
    if (webhooks) {
      const delivery: WebhookDelivery = { event, attempts: [], delivered: false }
      deliveries.push(delivery)
      const sending = deliver(webhooks, delivery)
      inFlight.add(sending)
      void sending.finally(() => inFlight.delete(sending))
    }
    return event
  }

  const authorize = (intent: PaymentIntent, paymentMethod: string) => {
    const manual = intent.capture_method === 'manual'
    Object.assign(intent, {
      status: manual ? 'requires_capture' : 'succeeded',
      amount_capturable: manual ? intent.amount : 0,
      amount_received: manual ? 0 : intent.amount,
      payment_method: paymentMethod,
      last_payment_error: null,
    })
    return emit(manual ? 'payment_intent.amount_capturable_updated' : 'payment_intent.succeeded', intent.id)
  }

  const decline = (intent: PaymentIntent, paymentMethod: string) => {
    const error: StripeErrorObject = {
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'generic_decline',
      message: 'Your card was declined.',
      payment_method: { id: paymentMethod, object: 'payment_method', type: 'card' },
    }
    // Stripe detaches the failed method: the intent asks for another one.
    Object.assign(intent, { status: 'requires_payment_method', payment_method: null, last_payment_error: error })
    return { error, event: emit('payment_intent.payment_failed', intent.id) }
  }

  /** Publishable keys act for the holder of a client secret: it must be the intent's own. */
  const secretMismatch = (intent: PaymentIntent, params: Record<string, unknown>, access: Access) =>
    (access === 'publishable' || params.client_secret !== undefined) && params.client_secret !== intent.client_secret
      ? stripeError(400, {
          type: 'invalid_request_error',
          code: 'payment_intent_invalid_parameter',
          param: 'client_secret',
          message:
            'The client_secret provided does not match any associated PaymentIntent on this account. Ensure the ' +
            'publishable key used belongs to the same account that created the PaymentIntent.',
        })
      : undefined

  function handle(
    method: string,
    path: string,
    params: Record<string, unknown>,
    access: Access,
  ): { status: number; body: unknown } {
    const notFound = () =>
      stripeError(404, { type: 'invalid_request_error', code: 'resource_missing', message: `No such object: ${path}` })
    if (method === 'POST' && path === '/v1/payment_intents') {
      const amount = Number(params.amount)
      if (!Number.isInteger(amount) || amount < 1)
        return stripeError(400, { type: 'invalid_request_error', message: 'Invalid amount' })
      const intentId = id('pi')
      const intent: PaymentIntent = {
        id: intentId,
        object: 'payment_intent',
        amount,
        amount_capturable: 0,
        amount_received: 0,
        currency: String(params.currency ?? 'cny'),
        capture_method: String(params.capture_method ?? 'automatic'),
        status: 'requires_payment_method',
        client_secret: `${intentId}_secret_${randomBytes(12).toString('hex')}`,
        payment_method: null,
        last_payment_error: null,
        metadata: (params.metadata as Record<string, string>) ?? {},
        created: now(),
        livemode: false,
      }
      intents.set(intent.id, intent)
      return { status: 200, body: intent }
    }
    const match = /^\/v1\/payment_intents\/([^/]+)(?:\/(capture|cancel|confirm))?$/.exec(path)
    if (match) {
      const intent = intents.get(match[1]!)
      if (!intent)
        return stripeError(404, {
          type: 'invalid_request_error',
          code: 'resource_missing',
          param: 'intent',
          message: `No such payment_intent: '${match[1]}'`,
        })
      const view = (i: PaymentIntent) => (access === 'publishable' ? publicView(i) : i)
      if (method === 'GET' && !match[2])
        return secretMismatch(intent, params, access) ?? { status: 200, body: view(intent) }
      if (method === 'POST' && match[2] === 'confirm') {
        const refused = secretMismatch(intent, params, access)
        if (refused) return refused
        if (intent.status !== 'requires_payment_method') return unexpectedState(intent, 'confirm')
        const paymentMethod = typeof params.payment_method === 'string' ? params.payment_method : undefined
        if (!paymentMethod)
          return stripeError(400, {
            type: 'invalid_request_error',
            code: 'payment_intent_unexpected_state',
            param: 'payment_method',
            message: "You cannot confirm this PaymentIntent because it's missing a payment method.",
          })
        const outcome = TEST_PAYMENT_METHODS[paymentMethod]
        if (!outcome)
          return stripeError(400, {
            type: 'invalid_request_error',
            code: 'resource_missing',
            param: 'payment_method',
            message: `No such PaymentMethod: '${paymentMethod}'`,
          })
        if (outcome === 'declined') {
          const { error } = decline(intent, paymentMethod)
          return stripeError(402, { ...error, payment_intent: view(intent) })
        }
        authorize(intent, paymentMethod)
        return { status: 200, body: view(intent) }
      }
      if (method === 'POST' && match[2] === 'capture') {
        if (intent.status !== 'requires_capture') return unexpectedState(intent, 'capture')
        const amount =
          params.amount_to_capture === undefined ? intent.amount_capturable : Number(params.amount_to_capture)
        Object.assign(intent, { status: 'succeeded', amount_received: amount, amount_capturable: 0 })
        emit('payment_intent.succeeded', intent.id)
        return { status: 200, body: intent }
      }
      if (method === 'POST' && match[2] === 'cancel') {
        if (intent.status === 'succeeded' || intent.status === 'canceled') return unexpectedState(intent, 'cancel')
        Object.assign(intent, { status: 'canceled', amount_capturable: 0 })
        emit('payment_intent.canceled', intent.id)
        return { status: 200, body: intent }
      }
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const intent = intents.get(String(params.payment_intent))
      if (!intent) return notFound()
      const already = [...refunds.values()]
        .filter((r) => r.payment_intent === intent.id)
        .reduce((s, r) => s + r.amount, 0)
      const amount = params.amount === undefined ? intent.amount_received - already : Number(params.amount)
      if (intent.status !== 'succeeded' || amount < 1 || already + amount > intent.amount_received)
        return stripeError(400, {
          type: 'invalid_request_error',
          code: 'amount_too_large',
          message: 'Refund amount exceeds what was captured',
        })
      const refund: Refund = {
        id: id('re'),
        object: 'refund',
        amount,
        payment_intent: intent.id,
        status: 'succeeded',
        currency: intent.currency,
        created: now(),
      }
      refunds.set(refund.id, refund)
      return { status: 200, body: refund }
    }
    return stripeError(404, { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path})` })
  }

  /** Which key the caller presented (bearer token, or Stripe.js's `key` form field), if it is one we take. */
  function accessOf(authorization: string | undefined, params: Record<string, unknown>): Access | undefined {
    const key = /^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? (typeof params.key === 'string' ? params.key : '')
    if (key.startsWith('pk_')) return !opts.publishableKey || key === opts.publishableKey ? 'publishable' : undefined
    return !opts.secretKey || key === opts.secretKey ? 'secret' : undefined
  }
  /** What Stripe lets a publishable key do with a PaymentIntent: confirm it and read it. */
  const browserCall = (method: string, path: string) =>
    (method === 'POST' && /^\/v1\/payment_intents\/[^/]+\/confirm$/.test(path)) ||
    (method === 'GET' && /^\/v1\/payment_intents\/[^/]+$/.test(path))

  let stripeJs = ''
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const method = req.method ?? 'GET'
      const url = new URL(req.url ?? '/', 'http://localhost')
      const path = url.pathname
      if (method === 'OPTIONS') {
        res.writeHead(204, PREFLIGHT)
        return res.end()
      }
      if (method === 'GET' && (path === '/v3' || path === '/v3/')) {
        res.writeHead(200, { ...CORS, 'content-type': 'application/javascript; charset=utf-8' })
        return res.end(stripeJs)
      }
      const raw = Buffer.concat(chunks).toString('utf8')
      const params = parseForm(method === 'GET' ? url.search.slice(1) : raw)
      const key = req.headers['idempotency-key'] as string | undefined
      requests.push({ method, path, idempotencyKey: key })
      const send = (status: number, body: string, delayMs = 0) => {
        const write = () => {
          if (res.destroyed) return
          res.writeHead(status, { ...CORS, 'content-type': 'application/json', 'request-id': id('req') })
          res.end(body)
        }
        if (delayMs > 0) {
          const timer = setTimeout(() => {
            timers.delete(timer)
            write()
          }, delayMs)
          timers.add(timer)
        } else write()
      }
      const access = accessOf(req.headers.authorization, params)
      if (!access) {
        return send(
          401,
          JSON.stringify({ error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } }),
        )
      }
      if (access === 'publishable' && !browserCall(method, path)) {
        return send(
          401,
          JSON.stringify({
            error: {
              type: 'invalid_request_error',
              message: 'This API call cannot be made with a publishable API key. Please use a secret API key.',
            },
          }),
        )
      }
      const trapIndex = traps.findIndex((t) => t.method === method && t.path.test(path))
      const trap = trapIndex >= 0 ? traps.splice(trapIndex, 1)[0] : undefined
      if (trap?.error) {
        const { status, type, code, message } = trap.error
        return send(status, JSON.stringify({ error: { type, message, ...(code ? { code } : {}) } }))
      }
      const paramsKey = `${method} ${path} ${raw}`
      if (key && method === 'POST') {
        const seen = idempotent.get(key)
        if (seen) {
          if (seen.params !== paramsKey) {
            return send(
              400,
              JSON.stringify({
                error: {
                  type: 'idempotency_error',
                  message:
                    'Keys for idempotent requests can only be used with the same parameters they were first used with.',
                },
              }),
            )
          }
          return send(seen.status, seen.body)
        }
      }
      const outcome = handle(method, path, params, access)
      const body = JSON.stringify(outcome.body)
      // Stripe stores the answer under the key whatever it was (errors included, except 5xx).
      if (key && method === 'POST' && outcome.status < 500)
        idempotent.set(key, { params: paramsKey, status: outcome.status, body })
      send(outcome.status, body, trap?.delayMs ?? 0)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const url = `http://127.0.0.1:${port}`
  stripeJs = stripeJsSource(url)

  const intentOf = (intentId: string) => {
    const intent = intents.get(intentId)
    if (!intent) throw new Error(`no PaymentIntent ${intentId}`)
    return intent
  }

  return {
    port,
    url,
    stripeJsUrl: `${url}/v3/`,
    intents,
    refunds,
    requests,
    events,
    deliveries,
    trapNext: (trap) => traps.push(trap),
    authorize: (intentId) => authorize(intentOf(intentId), 'pm_card_visa'),
    decline: (intentId) => decline(intentOf(intentId), 'pm_card_chargeDeclined').event,
    eventFor,
    deliverWebhooks(target) {
      webhooks = target
    },
    async webhooksDelivered() {
      while (inFlight.size > 0) await Promise.all(inFlight)
    },
    async close() {
      stopping.abort()
      for (const timer of timers) clearTimeout(timer)
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
