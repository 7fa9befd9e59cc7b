import { sql } from 'kysely'
import t from 'tap'
import { act, bearer, type testApp } from './helpers.ts'
import { stripeApp } from './stripe-support.ts'

/** Resolves once `check` holds, polling; fails the test after `ms`. */
async function until(check: () => boolean | Promise<boolean>, what: string, ms = 30_000) {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function setup(t: Parameters<typeof testApp>[0]) {
  const { server, h, p, newBooking, deliver } = await stripeApp(t, { env: { STRIPE_MAX_RETRIES: '0' } })
  /** A booking whose charge is authorised, waiting for the provider's answer. */
  const authorised = async () => {
    const created = await newBooking()
    if (created.statusCode !== 201) throw new Error(created.body)
    const id = created.json().id as string
    const charge = [...server.intents.values()].find((i) => i.metadata.booking_id === id)!
    await deliver(server.authorize(charge.id))
    return { id, charge }
  }
  const captures = (intentId: string) =>
    server.requests.filter((r) => r.method === 'POST' && r.path === `/v1/payment_intents/${intentId}/capture`)
  return { server, h, p, authorised, captures }
}

t.test('a capture waiting on a slow Stripe holds no lock on the booking', async (t) => {
  const { server, h, p, authorised, captures } = await setup(t)
  const { id, charge } = await authorised()
  server.trapNext({ method: 'POST', path: /\/capture$/, delayMs: 3000 })
  let accepted: { statusCode: number; body: string } | undefined
  const accepting = act(h.app, p.provider.token, id, 'accept').then((res) => {
    accepted = res
    return res
  })
  // Whoever calls Stripe (the accept itself, or the job after it), wait until Stripe holds the call.
  let running: Promise<number> | undefined
  await until(async () => {
    if (accepted && !running) running = h.app.bookings.runDueJobs()
    return captures(charge.id).length > 0
  }, 'the capture request')
  const db = h.app.bookings.deps.db
  const locked = await db
    .transaction()
    .execute(async (trx) => {
      const { rows } = await sql<{ id: string }>`select id from bookings where id = ${id} for update nowait`.execute(
        trx,
      )
      return rows.length
    })
    .catch((error: { code?: string }) => `refused: ${error.code}`)
  t.equal(locked, 1, 'the booking can be locked while Stripe has not answered')
  t.equal((await accepting).statusCode, 200, accepted?.body ?? '')
  await running
  t.equal(server.intents.get(charge.id)?.status, 'succeeded', 'the capture went through once Stripe answered')
})

t.test('during a Stripe outage bookings move on, and the capture completes once Stripe is back', async (t) => {
  const { server, h, p, authorised, captures } = await setup(t)
  const { id, charge } = await authorised()
  const outage = { status: 503, type: 'api_error', message: 'Stripe is unavailable.' }
  for (let i = 0; i < 3; i++) server.trapNext({ method: 'POST', path: /\/capture$/, error: outage })

  const accepted = await act(h.app, p.provider.token, id, 'accept')
  t.equal(accepted.statusCode, 200, accepted.body)
  t.match(accepted.json(), { status: 'confirmed', paymentStatus: 'paid' })
  // Each attempt meets the outage; the job is retried with backoff, and the step says why it waits.
  for (let attempt = 1; attempt <= 3; attempt++) {
    await h.app.bookings.runDueJobs()
    t.equal(captures(charge.id).length, attempt, `attempt ${attempt} reached Stripe`)
    h.clock.advance(10 * 60_000)
  }
  const db = h.app.bookings.deps.db
  const failing = await db.selectFrom('paymentSteps').selectAll().where('bookingId', '=', id).executeTakeFirstOrThrow()
  t.match(failing, { step: 'capture', attempts: 3, doneAt: null, lastError: /unavailable/ })
  t.equal(server.intents.get(charge.id)?.status, 'requires_capture', 'nothing captured during the outage')
  // The booking is not held meanwhile: the requester may read and cancel it.
  const read = await h.app.inject({ method: 'GET', url: `/v1/bookings/${id}`, headers: bearer(p.requester.token) })
  t.equal(read.json().status, 'confirmed')

  // Stripe is back: the next attempt captures, and the step records it.
  await h.app.bookings.runDueJobs()
  t.equal(server.intents.get(charge.id)?.status, 'succeeded')
  const done = await db.selectFrom('paymentSteps').selectAll().where('bookingId', '=', id).executeTakeFirstOrThrow()
  t.match(done, { attempts: 4, lastError: null })
  t.not(done.doneAt, null)
  const keys = captures(charge.id).map((r) => r.idempotencyKey)
  t.same(new Set(keys), new Set([`booking-${id}-charge-capture`]), 'every attempt under the one idempotency key')

  // A cancellation then refunds after the capture, in order, by a job of its own.
  const cancelled = await act(h.app, p.requester.token, id, 'cancel')
  t.equal(cancelled.statusCode, 200, cancelled.body)
  await h.app.bookings.runDueJobs()
  t.same(
    [...server.refunds.values()].map((r) => [r.payment_intent, r.amount]),
    [[charge.id, 20_000]],
  )
})
