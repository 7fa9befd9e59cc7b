import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { stripeJsSource } from './stripe-js.ts'
import {
  type Access,
  API_VERSION,
  CORS,
  id,
  now,
  type PaymentIntent,
  PREFLIGHT,
  parseForm,
  publicView,
  type Refund,
  type StripeErrorObject,
  type StripeEvent,
  type StripeTestServer,
  TEST_PAYMENT_METHODS,
  type Trap,
  type WebhookDelivery,
  type WebhookTarget,
} from './stripe-objects.ts'
import { webhookSender } from './stripe-webhooks.ts'

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
 *
 * Starts the server on a free loopback port.
 */
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

  const send = webhookSender({ stopping: stopping.signal, timers })

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
      const sending = send(webhooks, delivery)
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
