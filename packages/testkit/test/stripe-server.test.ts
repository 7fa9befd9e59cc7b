import { createHmac } from 'node:crypto'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import { type PaymentIntent, type StripeTestServer, startStripeServer, TEST_CARDS } from '../src/index.ts'

const SECRET_KEY = 'sk_test_testkit'
const PUBLISHABLE_KEY = 'pk_test_testkit'

async function stripe(t: Test) {
  const server = await startStripeServer({ secretKey: SECRET_KEY, publishableKey: PUBLISHABLE_KEY })
  t.teardown(() => server.close())
  return server
}

/** Creates a manual-capture intent as the SDK would (secret key, form body). */
async function createIntent(server: StripeTestServer, amount = 5_000): Promise<PaymentIntent> {
  const res = await fetch(`${server.url}/v1/payment_intents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SECRET_KEY}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ amount: String(amount), currency: 'cny', capture_method: 'manual' }),
  })
  return (await res.json()) as PaymentIntent
}

/** Confirms as Stripe.js does from a browser: publishable key, client secret in the body. */
function confirm(server: StripeTestServer, id: string, body: Record<string, string>, key = PUBLISHABLE_KEY) {
  return fetch(`${server.url}/v1/payment_intents/${id}/confirm`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body),
  })
}

t.test('a browser confirms a PaymentIntent with the publishable key and its client secret', async (t) => {
  const server = await stripe(t)

  t.test('intents carry a client secret of their own', async (t) => {
    const intent = await createIntent(server)
    t.match(intent.client_secret, new RegExp(`^${intent.id}_secret_[0-9a-f]{24}$`))
    t.not((await createIntent(server)).client_secret, intent.client_secret)
  })

  t.test('the CORS preflight allows any origin to send the key and a form body', async (t) => {
    const intent = await createIntent(server)
    const res = await fetch(`${server.url}/v1/payment_intents/${intent.id}/confirm`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:4100',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    })
    t.equal(res.status, 204)
    t.equal(res.headers.get('access-control-allow-origin'), '*')
    t.match(res.headers.get('access-control-allow-methods'), /POST/)
    t.match(res.headers.get('access-control-allow-headers'), /authorization/)
    t.match(res.headers.get('access-control-allow-headers'), /content-type/)
  })

  t.test('a valid card authorises a manual-capture intent', async (t) => {
    const intent = await createIntent(server)
    const res = await confirm(server, intent.id, {
      client_secret: intent.client_secret,
      payment_method: 'pm_card_visa',
    })
    t.equal(res.status, 200)
    t.equal(res.headers.get('access-control-allow-origin'), '*')
    const body = (await res.json()) as PaymentIntent
    t.match(body, { id: intent.id, status: 'requires_capture', payment_method: 'pm_card_visa' })
    t.notOk('metadata' in body, 'a publishable key does not see metadata')
    t.match(server.intents.get(intent.id), { status: 'requires_capture', amount_capturable: 5_000 })
    t.same(
      server.events.filter((e) => e.data.object.id === intent.id).map((e) => e.type),
      ['payment_intent.amount_capturable_updated'],
    )
    const again = await confirm(server, intent.id, {
      client_secret: intent.client_secret,
      payment_method: 'pm_card_visa',
    })
    t.equal(again.status, 400)
    t.match(await again.json(), { error: { code: 'payment_intent_unexpected_state' } })
  })

  t.test('a declined card answers 402 card_error and leaves the intent waiting for another', async (t) => {
    const intent = await createIntent(server)
    const res = await confirm(server, intent.id, {
      client_secret: intent.client_secret,
      payment_method: 'pm_card_chargeDeclined',
    })
    t.equal(res.status, 402)
    t.match(await res.json(), {
      error: { type: 'card_error', code: 'card_declined', payment_intent: { id: intent.id } },
    })
    t.match(server.intents.get(intent.id), {
      status: 'requires_payment_method',
      last_payment_error: { type: 'card_error', code: 'card_declined' },
    })
    t.equal(server.events.at(-1)?.type, 'payment_intent.payment_failed')
    const retry = await confirm(server, intent.id, {
      client_secret: intent.client_secret,
      payment_method: 'pm_card_visa',
    })
    t.equal(retry.status, 200)
    t.match(server.intents.get(intent.id), { status: 'requires_capture', last_payment_error: null })
  })

  t.test('a wrong client secret, key or call is refused', async (t) => {
    const [a, b] = [await createIntent(server), await createIntent(server)]
    const wrong = await confirm(server, a.id, { client_secret: b.client_secret, payment_method: 'pm_card_visa' })
    t.equal(wrong.status, 400)
    t.match(await wrong.json(), { error: { code: 'payment_intent_invalid_parameter', param: 'client_secret' } })
    const missing = await confirm(server, a.id, { payment_method: 'pm_card_visa' })
    t.equal(missing.status, 400)
    const otherKey = await confirm(
      server,
      a.id,
      { client_secret: a.client_secret, payment_method: 'pm_card_visa' },
      'pk_test_other',
    )
    t.equal(otherKey.status, 401)
    const create = await fetch(`${server.url}/v1/payment_intents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${PUBLISHABLE_KEY}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'amount=100&currency=cny',
    })
    t.equal(create.status, 401, 'a publishable key cannot create intents')
    t.equal(server.intents.get(a.id)?.status, 'requires_payment_method')
    t.notOk(
      server.events.some((e) => e.data.object.id === a.id),
      'nothing happened to the intent',
    )
  })
})

t.test('webhooks are delivered signed, and retried until the endpoint takes them', async (t) => {
  const server = await stripe(t)
  const received: Array<{ signature: string; body: string }> = []
  let failures = 1
  const endpoint = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push({ signature: String(req.headers['stripe-signature']), body: Buffer.concat(chunks).toString() })
      res.writeHead(failures-- > 0 ? 500 : 200).end()
    })
  })
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => endpoint.close(() => resolve())))
  const secret = 'whsec_testkit'
  server.deliverWebhooks({
    url: `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/hook`,
    secret,
    retryDelayMs: 10,
  })

  const intent = await createIntent(server)
  await confirm(server, intent.id, { client_secret: intent.client_secret, payment_method: 'pm_card_visa' })
  await server.webhooksDelivered()
  t.equal(server.deliveries.length, 1)
  t.same(server.deliveries[0]!.attempts, [500, 200])
  t.equal(server.deliveries[0]!.delivered, true)
  t.equal(received.length, 2)
  const { signature, body } = received[1]!
  const [, timestamp, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature) ?? []
  t.ok(timestamp, signature)
  t.equal(v1, createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex'), 'signed as Stripe signs')
  t.match(JSON.parse(body), {
    type: 'payment_intent.amount_capturable_updated',
    data: { object: { id: intent.id, status: 'requires_capture' } },
  })

  // Server-side calls send their events too, as Stripe does.
  await fetch(`${server.url}/v1/payment_intents/${intent.id}/capture`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SECRET_KEY}` },
  })
  server.decline((await createIntent(server)).id)
  await server.webhooksDelivered()
  t.same(
    server.deliveries.map((d) => [d.event.type, d.delivered]),
    [
      ['payment_intent.amount_capturable_updated', true],
      ['payment_intent.succeeded', true],
      ['payment_intent.payment_failed', true],
    ],
  )
})

t.test('an endpoint that never takes an event gets a bounded number of attempts', async (t) => {
  const server = await stripe(t)
  server.deliverWebhooks({ url: 'http://127.0.0.1:1/unreachable', secret: 'whsec_x', attempts: 3, retryDelayMs: 5 })
  server.authorize((await createIntent(server)).id)
  await server.webhooksDelivered()
  t.equal(server.deliveries[0]!.attempts.length, 3)
  t.equal(server.deliveries[0]!.delivered, false)
})

/** Just enough DOM for the Stripe.js double: elements, attributes, children, listeners, querySelector by id. */
class FakeElement {
  children: FakeElement[] = []
  parentNode: FakeElement | null = null
  attributes: Record<string, string> = {}
  listeners: Record<string, Array<() => void>> = {}
  textContent = ''
  id = ''
  type = ''
  name = ''
  value = ''
  className = ''
  disabled = false
  constructor(readonly tagName: string) {}
  setAttribute(name: string, value: string) {
    this.attributes[name] = value
  }
  getAttribute(name: string) {
    return this.attributes[name] ?? null
  }
  appendChild(child: FakeElement) {
    child.parentNode = this
    this.children.push(child)
    return child
  }
  removeChild(child: FakeElement) {
    this.children = this.children.filter((c) => c !== child)
    child.parentNode = null
    return child
  }
  addEventListener(type: string, listener: () => void) {
    this.listeners[type] = [...(this.listeners[type] ?? []), listener]
  }
  focus() {}
  blur() {}
  /** What a user typing does: set the value, fire `input`. */
  type_(text: string) {
    this.value = text
    for (const l of this.listeners.input ?? []) l()
  }
  *all(): Generator<FakeElement> {
    for (const c of this.children) {
      yield c
      yield* c.all()
    }
  }
}

interface StripeDouble {
  elements(): {
    create(type: 'card'): {
      mount(target: unknown): void
      unmount(): void
      destroy(): void
      on(event: string, handler: (e: unknown) => void): unknown
    }
  }
  confirmCardPayment(clientSecret: string, data: unknown): Promise<Record<string, unknown>>
  retrievePaymentIntent(clientSecret: string): Promise<Record<string, unknown>>
}

t.test('the Stripe.js double at /v3/', async (t) => {
  const server = await stripe(t)
  const res = await fetch(server.stripeJsUrl)
  t.equal(res.status, 200)
  t.match(res.headers.get('content-type'), /^application\/javascript/)
  const source = await res.text()
  // Parses as a classic script (a syntax error throws here).
  const run = new Function('window', 'document', 'fetch', source)

  const body = new FakeElement('body')
  const host = body.appendChild(new FakeElement('div'))
  host.id = 'card'
  const window: { Stripe?: (key: string) => StripeDouble } = {}
  const document = {
    currentScript: { src: server.stripeJsUrl },
    createElement: (tag: string) => new FakeElement(tag),
    querySelector: (selector: string) => [...body.all()].find((e) => `#${e.id}` === selector) ?? null,
  }
  const calls: string[] = []
  const spy = (input: string, init?: RequestInit) => {
    calls.push(input)
    return fetch(input, init)
  }
  run(window, document, spy)
  t.type(window.Stripe, 'function')
  const stripeJs = window.Stripe!(PUBLISHABLE_KEY)
  const card = stripeJs.elements().create('card')
  const changes: unknown[] = []
  card.on('change', (e) => changes.push(e))
  card.mount('#card')

  const input = [...host.all()].find((e) => e.tagName === 'input')!
  const label = [...host.all()].find((e) => e.tagName === 'label')!
  t.equal(label.textContent, '卡号 Card number')
  t.equal(label.getAttribute('for'), input.id)
  t.match(input, { type: 'text', name: 'cardnumber' })
  t.equal(input.getAttribute('autocomplete'), 'cc-number')
  t.equal(input.getAttribute('inputmode'), 'numeric')

  t.test('a card Stripe declines resolves { error } with the decline', async (t) => {
    const intent = await createIntent(server)
    input.type_(TEST_CARDS.declined.replace(/(\d{4})/g, '$1 ').trim())
    const result = await stripeJs.confirmCardPayment(intent.client_secret, { payment_method: { card } })
    t.match(result, { error: { type: 'card_error', code: 'card_declined', payment_intent: { id: intent.id } } })
    t.notOk(result.paymentIntent)
  })

  t.test('a good card resolves { paymentIntent } authorised, sent to the script own origin', async (t) => {
    const intent = await createIntent(server)
    input.type_(TEST_CARDS.visa)
    t.match(changes.at(-1), { elementType: 'card', complete: true, empty: false, brand: 'visa' })
    const result = await stripeJs.confirmCardPayment(intent.client_secret, { payment_method: { card } })
    t.match(result, { paymentIntent: { id: intent.id, status: 'requires_capture' } })
    t.equal(calls.at(-1), `${server.url}/v1/payment_intents/${intent.id}/confirm`)
    t.match(await stripeJs.retrievePaymentIntent(intent.client_secret), {
      paymentIntent: { id: intent.id, status: 'requires_capture' },
    })
  })

  t.test('another number is a validation error, found without calling Stripe', async (t) => {
    const intent = await createIntent(server)
    input.type_('4111 1111 1111 1111')
    const before = calls.length
    const result = await stripeJs.confirmCardPayment(intent.client_secret, { payment_method: { card } })
    t.match(result, { error: { type: 'validation_error', code: 'incorrect_number' } })
    t.equal(calls.length, before)
  })

  t.test('misuse rejects with an IntegrationError; card errors never reject', async (t) => {
    await t.rejects(stripeJs.confirmCardPayment('not-a-secret', { payment_method: { card } }), {
      name: 'IntegrationError',
    })
    card.unmount()
    t.equal(host.children.length, 0, 'unmount takes the input away')
    await t.rejects(stripeJs.confirmCardPayment('pi_x_secret_y', { payment_method: { card } }), {
      name: 'IntegrationError',
    })
    t.throws(() => window.Stripe!('sk_test_secret'), { name: 'IntegrationError' })
  })
})
