import { randomUUID } from 'node:crypto'
import { type Benchmark, percentile } from '@commons/testkit'
import { benchApp, requester, seedListing } from './support.ts'

const ROUNDS = 50
const CONCURRENCY = 200
const P99_TARGET_MS = 400

/**
 * 200 concurrent requests for the same slot, 50 rounds: exactly one 201 per round, the rest 409, no 5xx.
 * The exclusion constraint decides; conflicts and deadlocks between the inserts must both answer 409.
 */
const bench: Benchmark = async (ctx) => {
  const { app, token, close } = await benchApp(ctx.databaseUrl)
  try {
    const listing = await seedListing(app, { start: '00:00', end: '24:00' })
    const groups = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const r = requester()
        return { organizationId: r.organizationId, token: await token(r.actor) }
      }),
    )
    let exactRounds = 0
    let serverErrors = 0
    let conflicts = 0
    const latencies: number[] = []
    // What a 5xx was (e.g. database_unavailable when the pool's connection wait ran out on a loaded machine).
    const errorCodes: Record<string, number> = {}
    const started = performance.now()
    for (let round = 0; round < ROUNDS; round++) {
      const start = new Date(Date.UTC(2026, 11, 1, round, 0))
      const end = new Date(start.getTime() + 3600_000)
      const answers = await Promise.all(
        Array.from({ length: CONCURRENCY }, async (_, i) => {
          const group = groups[i % groups.length]!
          const t0 = performance.now()
          const res = await app.inject({
            method: 'POST',
            url: '/v1/bookings',
            headers: { authorization: `Bearer ${group.token}`, 'idempotency-key': randomUUID() },
            payload: {
              listingId: listing.id,
              organizationId: group.organizationId,
              start: start.toISOString(),
              end: end.toISOString(),
              attendees: 5,
              purpose: '并发测试',
            },
          })
          latencies.push(performance.now() - t0)
          if (res.statusCode >= 500) {
            const code = (res.json() as { code?: string }).code ?? String(res.statusCode)
            errorCodes[code] = (errorCodes[code] ?? 0) + 1
          }
          return res.statusCode
        }),
      )
      const created = answers.filter((s) => s === 201).length
      serverErrors += answers.filter((s) => s >= 500).length
      conflicts += answers.filter((s) => s === 409).length
      if (created === 1) exactRounds += 1
      if (round % 10 === 9)
        ctx.log(
          `round ${round + 1}/${ROUNDS}: ${created} created, ${serverErrors} 5xx so far ${JSON.stringify(errorCodes)}`,
        )
    }
    const seconds = (performance.now() - started) / 1000
    const p99 = percentile(latencies, 99)
    return {
      name: 'bookings: 200 concurrent requests for one slot × 50 rounds',
      metrics: [
        { metric: 'rounds with exactly one 201', value: exactRounds, unit: `of ${ROUNDS}` },
        { metric: '409 answers', value: conflicts, unit: `of ${ROUNDS * (CONCURRENCY - 1)} expected` },
        { metric: '5xx answers', value: serverErrors, unit: 'responses' },
        { metric: 'requests per second', value: (ROUNDS * CONCURRENCY) / seconds, unit: 'req/s' },
        { metric: 'latency p50', value: percentile(latencies, 50), unit: 'ms' },
        { metric: 'latency p99', value: p99, unit: 'ms' },
      ],
      ratios: [
        {
          name: 'rounds with exactly one booking',
          value: exactRounds / ROUNDS,
          target: '== 1 with zero 5xx',
          pass: exactRounds === ROUNDS && serverErrors === 0,
        },
        {
          // Issue 17: losers learn 409 without waiting for the winner's whole transaction behind the lock.
          name: `latency p99 / ${P99_TARGET_MS} ms`,
          value: p99 / P99_TARGET_MS,
          target: '<= 1',
          pass: p99 <= P99_TARGET_MS,
        },
      ],
      details: { rounds: ROUNDS, concurrency: CONCURRENCY, serverErrors: errorCodes },
    }
  } finally {
    await close()
  }
}
export default bench
