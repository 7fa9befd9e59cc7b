import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A small Stripe-compatible HTTP server for tests (there is no network here): the PaymentIntent and Refund
 * endpoints the real `stripe` SDK calls, form-encoded bodies as the SDK sends them, Stripe's error shape,
 * and Idempotency-Key replay (same key and parameters: the first answer again; other parameters: 400
 * `idempotency_error`), so a retried call never creates a second object. Point the SDK at it with
 * `new Stripe(key, { host: '127.0.0.1', port, protocol: 'http' })`.
 *
 * The customer's side (confirming a card) does not go through the API: `authorize(id)` moves an intent to
 * `requires_capture` and returns the event Stripe would send, for the test to sign and deliver.
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
  metadata: Record<string, string>
  created: number
  livemode: false
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

export interface StripeTestServer {
  port: number
  url: string
  intents: Map<string, PaymentIntent>
  refunds: Map<string, Refund>
  /** Every request as received, in order. */
  requests: Array<{ method: string; path: string; idempotencyKey: string | undefined }>
  /** The next request matching method and path fails (or is delayed) as described. */
  trapNext(trap: Trap): void
  /** The customer authorised the intent: it now awaits capture. Returns the webhook event object. */
  authorize(id: string): StripeEvent
  /** The customer's card was declined. Returns the webhook event object. */
  decline(id: string): StripeEvent
  /** An event object of `type` about the intent as it is now. */
  eventFor(type: string, id: string): StripeEvent
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

const API_VERSION = '2025-01-01'
const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`
const now = () => Math.floor(Date.now() / 1000)

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

/** Starts the server on a free loopback port. */
export async function startStripeServer(opts: { secretKey?: string } = {}): Promise<StripeTestServer> {
  const intents = new Map<string, PaymentIntent>()
  const refunds = new Map<string, Refund>()
  const idempotent = new Map<string, { params: string; status: number; body: string }>()
  const requests: StripeTestServer['requests'] = []
  const traps: Trap[] = []
  const timers = new Set<NodeJS.Timeout>()

  const stripeError = (status: number, type: string, message: string, code?: string) => ({
    status,
    body: { error: { type, message, ...(code ? { code } : {}) } },
  })

  function handle(method: string, path: string, params: Record<string, unknown>): { status: number; body: unknown } {
    const notFound = () => stripeError(404, 'invalid_request_error', `No such object: ${path}`, 'resource_missing')
    if (method === 'POST' && path === '/v1/payment_intents') {
      const amount = Number(params.amount)
      if (!Number.isInteger(amount) || amount < 1) return stripeError(400, 'invalid_request_error', 'Invalid amount')
      const intent: PaymentIntent = {
        id: id('pi'),
        object: 'payment_intent',
        amount,
        amount_capturable: 0,
        amount_received: 0,
        currency: String(params.currency ?? 'cny'),
        capture_method: String(params.capture_method ?? 'automatic'),
        status: 'requires_payment_method',
        metadata: (params.metadata as Record<string, string>) ?? {},
        created: now(),
        livemode: false,
      }
      intents.set(intent.id, intent)
      return { status: 200, body: intent }
    }
    const match = /^\/v1\/payment_intents\/([^/]+)(?:\/(capture|cancel))?$/.exec(path)
    if (match) {
      const intent = intents.get(match[1]!)
      if (!intent) return notFound()
      if (method === 'GET' && !match[2]) return { status: 200, body: intent }
      if (method === 'POST' && match[2] === 'capture') {
        if (intent.status !== 'requires_capture')
          return stripeError(
            400,
            'invalid_request_error',
            `This PaymentIntent is ${intent.status}`,
            'payment_intent_unexpected_state',
          )
        const amount =
          params.amount_to_capture === undefined ? intent.amount_capturable : Number(params.amount_to_capture)
        Object.assign(intent, { status: 'succeeded', amount_received: amount, amount_capturable: 0 })
        return { status: 200, body: intent }
      }
      if (method === 'POST' && match[2] === 'cancel') {
        if (intent.status === 'succeeded' || intent.status === 'canceled')
          return stripeError(
            400,
            'invalid_request_error',
            `This PaymentIntent is ${intent.status}`,
            'payment_intent_unexpected_state',
          )
        Object.assign(intent, { status: 'canceled', amount_capturable: 0 })
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
        return stripeError(400, 'invalid_request_error', 'Refund amount exceeds what was captured', 'amount_too_large')
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
    return stripeError(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path})`)
  }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const method = req.method ?? 'GET'
      const url = new URL(req.url ?? '/', 'http://localhost')
      const path = url.pathname
      const raw = Buffer.concat(chunks).toString('utf8')
      const key = req.headers['idempotency-key'] as string | undefined
      requests.push({ method, path, idempotencyKey: key })
      const send = (status: number, body: string, delayMs = 0) => {
        const write = () => {
          if (res.destroyed) return
          res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req') })
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
      if (opts.secretKey && req.headers.authorization !== `Bearer ${opts.secretKey}`) {
        return send(
          401,
          JSON.stringify({ error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } }),
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
      const outcome = handle(method, path, parseForm(raw))
      const body = JSON.stringify(outcome.body)
      // Stripe stores the answer under the key whatever it was (errors included, except 5xx).
      if (key && method === 'POST' && outcome.status < 500)
        idempotent.set(key, { params: paramsKey, status: outcome.status, body })
      send(outcome.status, body, trap?.delayMs ?? 0)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port

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

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    intents,
    refunds,
    requests,
    trapNext: (trap) => traps.push(trap),
    authorize(intentId) {
      const intent = intents.get(intentId)
      if (!intent) throw new Error(`no PaymentIntent ${intentId}`)
      Object.assign(intent, { status: 'requires_capture', amount_capturable: intent.amount })
      return eventFor('payment_intent.amount_capturable_updated', intentId)
    },
    decline(intentId) {
      return eventFor('payment_intent.payment_failed', intentId)
    },
    eventFor,
    async close() {
      for (const timer of timers) clearTimeout(timer)
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
