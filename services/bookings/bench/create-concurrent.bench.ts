import { randomUUID } from 'node:crypto'
import { createDb } from '@commons/db'
import { type Benchmark, percentile } from '@commons/testkit'
import type { DB } from '../src/db/schema.ts'
import { benchApp, requester, seedListing } from './support.ts'

const CLIENTS = 16
const PER_CLIENT = Number(process.env.BENCH_BOOKINGS_PER_CLIENT ?? 40)
const TARGET = 0.3

/**
 * 16 clients booking distinct slots of one listing at once (a popular venue's Monday morning), through the
 * service, vs. 16 connections inserting the same booking rows bare. Every request succeeds; the ratio is
 * what everything around the insert (auth, rules, the listing's lock, audit, timer, event, key) costs
 * when creations run side by side rather than one after another.
 */
const bench: Benchmark = async (ctx) => {
  const { app, databaseUrl, token, close } = await benchApp(ctx.databaseUrl)
  const bare = createDb<DB>({ url: databaseUrl, schema: 'bookings', poolMax: CLIENTS })
  try {
    const db = app.bookings.deps.db
    const listing = await seedListing(app, { start: '00:00', end: '24:00' })
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        const r = requester()
        return { organizationId: r.organizationId, bearer: `Bearer ${await token(r.actor)}` }
      }),
    )
    // Client c books hours c, c + 16, c + 32...: distinct slots, interleaved in time.
    const slotOf = (client: number, k: number) => {
      const start = new Date(Date.UTC(2026, 11, 1) + (k * CLIENTS + client) * 2 * 3600_000)
      return { start: start.toISOString(), end: new Date(start.getTime() + 3600_000).toISOString() }
    }
    const book = (listingId: string, client: number, k: number) =>
      app.inject({
        method: 'POST',
        url: '/v1/bookings',
        headers: { authorization: clients[client]!.bearer, 'idempotency-key': randomUUID() },
        payload: {
          listingId,
          organizationId: clients[client]!.organizationId,
          ...slotOf(client, k),
          attendees: 5,
          purpose: '并发基准',
        },
      })
    // Warm up the pool and JIT on another listing.
    const warm = await seedListing(app, { start: '00:00', end: '24:00' })
    await Promise.all(clients.map(async (_, c) => book(warm.id, c, 0)))

    const latencies: number[] = []
    let failures = 0
    const t0 = performance.now()
    await Promise.all(
      clients.map(async (_, c) => {
        for (let k = 0; k < PER_CLIENT; k++) {
          const started = performance.now()
          const res = await book(listing.id, c, k)
          latencies.push(performance.now() - started)
          if (res.statusCode !== 201) failures += 1
        }
      }),
    )
    const serviceMs = performance.now() - t0
    const n = CLIENTS * PER_CLIENT
    ctx.log(`service: ${n} bookings by ${CLIENTS} clients in ${serviceMs.toFixed(0)} ms, ${failures} refused`)

    const rows = await db.selectFrom('bookings').selectAll().where('listingId', '=', listing.id).execute()
    const ids = rows.map((row) => row.id)
    for (const table of ['timers', 'payments', 'bookingAudit'] as const)
      await db.deleteFrom(table).where('bookingId', 'in', ids).execute()
    await db.deleteFrom('bookings').where('id', 'in', ids).execute()
    const t1 = performance.now()
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        for (let i = c; i < rows.length; i += CLIENTS) {
          const { refundedAmount: _r, depositRetained: _d, ...values } = rows[i]!
          await bare
            .insertInto('bookings')
            .values({
              ...values,
              price: JSON.stringify(rows[i]!.price),
              cancellation: JSON.stringify(rows[i]!.cancellation),
            })
            .execute()
        }
      }),
    )
    const bareMs = performance.now() - t1
    ctx.log(`bare: ${rows.length} rows by ${CLIENTS} connections in ${bareMs.toFixed(0)} ms`)
    const service = n / (serviceMs / 1000)
    const bareRate = rows.length / (bareMs / 1000)
    return {
      name: `bookings: ${CLIENTS} clients creating distinct slots of one listing at once`,
      metrics: [
        { metric: 'service creations per second', value: service, unit: 'ops/s' },
        { metric: 'bare inserts per second', value: bareRate, unit: 'ops/s' },
        { metric: 'service latency p50', value: percentile(latencies, 50), unit: 'ms' },
        { metric: 'service latency p99', value: percentile(latencies, 99), unit: 'ms' },
        { metric: 'refused (should be 0)', value: failures, unit: 'requests' },
      ],
      ratios: [
        {
          // Issue 17: concurrent creation at 0.3× or more of concurrent bare inserts.
          name: 'service / bare insert throughput',
          value: service / bareRate,
          target: `>= ${TARGET} with none refused`,
          pass: service / bareRate >= TARGET && failures === 0,
        },
      ],
      details: { clients: CLIENTS, perClient: PER_CLIENT },
    }
  } finally {
    await bare.destroy()
    await close()
  }
}
export default bench
