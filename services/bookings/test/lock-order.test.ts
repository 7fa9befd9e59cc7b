import t from 'tap'
import { act, bearer, book } from './helpers.ts'
import { stripeApp } from './stripe-support.ts'

const ROUNDS = 12

/**
 * A webhook about a booking's payment and a cancellation of the same booking, at the same moment. The
 * cancellation locks the booking and then writes its charge's refund to the payment row; the webhook must
 * take the same locks in the same order (booking, then payment), or each ends up waiting for the other and
 * Postgres aborts one with a deadlock.
 */
t.test('a webhook and a cancel on one booking, concurrently: no deadlock, no lost update', async (t) => {
  const { server, h, p, listing, deliver } = await stripeApp(t)
  const db = h.app.bookings.deps.db

  for (let round = 1; round <= ROUNDS; round++) {
    const day = String(round).padStart(2, '0')
    const created = await book(h.app, p.requester.token, {
      listingId: listing.id,
      organizationId: p.requesterOrg,
      start: `2026-12-${day}T10:00`,
      end: `2026-12-${day}T11:00`,
    })
    t.equal(created.statusCode, 201, created.body)
    const id = created.json().id as string
    const charge = [...server.intents.values()].find((i) => i.metadata.booking_id === id)!
    await deliver(server.authorize(charge.id))
    const accepted = await act(h.app, p.provider.token, id, 'accept')
    t.equal(accepted.json().status, 'confirmed', accepted.body)

    // The capture's `succeeded` event and the requester's cancellation race for the same rows.
    const [hook, cancel] = await Promise.all([
      deliver(server.eventFor('payment_intent.succeeded', charge.id)),
      act(h.app, p.requester.token, id, 'cancel'),
    ])
    t.equal(hook.statusCode, 200, `round ${round} webhook: ${hook.body}`)
    t.equal(cancel.statusCode, 200, `round ${round} cancel: ${cancel.body}`)

    const booking = (
      await h.app.inject({ method: 'GET', url: `/v1/bookings/${id}`, headers: bearer(p.requester.token) })
    ).json()
    t.match(booking, { status: 'cancelled', refundedAmount: 20_000 }, `round ${round}`)
    const row = await db
      .selectFrom('payments')
      .select(['status', 'refundedAmount'])
      .where('bookingId', '=', id)
      .executeTakeFirstOrThrow()
    t.same(row, { status: 'captured', refundedAmount: 20_000 }, `round ${round}: both writes to the payment kept`)
    const steps = await db.selectFrom('bookingAudit').select('action').where('bookingId', '=', id).execute()
    t.equal(steps.length, booking.version, `round ${round}: one audited step per version`)
  }
})
