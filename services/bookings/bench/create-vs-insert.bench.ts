import { randomUUID } from 'node:crypto'
import type { Benchmark } from '@commons/testkit'
import { benchApp, requester, seedListing } from './support.ts'

const N = 500

/**
 * Non-conflicting booking creation through the service (auth, validation, rules, idempotency key, booking,
 * payment rows, timer, audit and outbox in one statement) vs. a bare loop inserting the same booking rows
 * into the same table. The ratio is the cost of everything around the insert.
 */
const bench: Benchmark = async (ctx) => {
  const { app, token, close } = await benchApp(ctx.databaseUrl)
  try {
    const db = app.bookings.deps.db
    const listing = await seedListing(app, { start: '00:00', end: '24:00' })
    const r = requester()
    const bearer = `Bearer ${await token(r.actor)}`
    const windows = Array.from({ length: N }, (_, i) => {
      const start = new Date(Date.UTC(2026, 11, 1) + i * 2 * 3600_000)
      return { start: start.toISOString(), end: new Date(start.getTime() + 3600_000).toISOString() }
    })
    // Warm up the connection pool and JIT on another listing.
    const warm = await seedListing(app, { start: '00:00', end: '24:00' })
    for (const w of windows.slice(0, 20)) {
      await app.inject({
        method: 'POST',
        url: '/v1/bookings',
        headers: { authorization: bearer, 'idempotency-key': randomUUID() },
        payload: { listingId: warm.id, organizationId: r.organizationId, ...w, attendees: 5, purpose: '预热' },
      })
    }
    const t0 = performance.now()
    for (const w of windows) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/bookings',
        headers: { authorization: bearer, 'idempotency-key': randomUUID() },
        payload: { listingId: listing.id, organizationId: r.organizationId, ...w, attendees: 5, purpose: '基准' },
      })
      if (res.statusCode !== 201) throw new Error(`booking failed: ${res.body}`)
    }
    const serviceMs = performance.now() - t0
    ctx.log(`service: ${N} bookings in ${serviceMs.toFixed(0)} ms`)

    const rows = await db.selectFrom('bookings').selectAll().where('listingId', '=', listing.id).execute()
    const ids = rows.map((row) => row.id)
    for (const table of ['timers', 'payments', 'bookingAudit'] as const)
      await db.deleteFrom(table).where('bookingId', 'in', ids).execute()
    await db.deleteFrom('bookings').where('id', 'in', ids).execute()
    const t1 = performance.now()
    for (const row of rows) {
      const { refundedAmount: _ignored, ...values } = row
      await db
        .insertInto('bookings')
        .values({ ...values, price: JSON.stringify(row.price), cancellation: JSON.stringify(row.cancellation) })
        .execute()
    }
    const bareMs = performance.now() - t1
    ctx.log(`bare inserts: ${N} rows in ${bareMs.toFixed(0)} ms`)
    const ratio = serviceMs / bareMs
    return {
      name: 'bookings: creation through the service vs. bare inserts',
      metrics: [
        { metric: 'service creations per second', value: N / (serviceMs / 1000), unit: 'ops/s' },
        { metric: 'bare inserts per second', value: N / (bareMs / 1000), unit: 'ops/s' },
        { metric: 'service mean latency', value: serviceMs / N, unit: 'ms' },
      ],
      // Issue 17: at most 5× a bare insert. The service sends 3 statements per booking, 2 in a row (the
      // caller's roles in parallel with the listing and its busy ranges, cap, parties and stored key answer;
      // then caps' locks and count + slot locks + booking + audit + key + timer + event and notify as one
      // statement, no BEGIN/COMMIT) where the bare loop sends 1, besides auth, validation and the rules.
      ratios: [{ name: 'service time / bare insert time', value: ratio, target: '<= 5', pass: ratio <= 5 }],
      details: { bookings: N },
    }
  } finally {
    await close()
  }
}
export default bench
