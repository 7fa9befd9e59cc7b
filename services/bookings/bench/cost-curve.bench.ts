import { randomUUID } from 'node:crypto'
import { type Benchmark, percentile } from '@commons/testkit'
import { sql } from 'kysely'
import { cancellationTermsOf } from '../src/bookings/cancellation.ts'
import { benchApp, requester, seedListing } from './support.ts'

/**
 * Sizes, as comma-separated counts: bookings spread over `BENCH_COST_LISTINGS` listings. The curve
 * is 10k, 100k and 1M bookings across 10k listings; `BENCH_COST_BOOKINGS=10000,100000` is the quick run.
 */
const SIZES = (process.env.BENCH_COST_BOOKINGS ?? '10000,100000,1000000').split(',').map(Number)
const LISTINGS = Number(process.env.BENCH_COST_LISTINGS ?? 10_000)
const SAMPLES = Number(process.env.BENCH_COST_SAMPLES ?? 200)
const TARGET = 1.3
/** Requests of each kind made before every size's measured ones. */
const WARMUP = 50
const HOUR = 3600_000
// Seeded bookings fill two-hour steps from here; probes go to days no seeded booking reaches.
const SEED_FROM = Date.UTC(2026, 11, 1)

/**
 * Availability and creation latency as the bookings table grows (issue 17 item 4): indexes should keep
 * both flat, so the largest size is compared with the smallest in the same run.
 */
const bench: Benchmark = async (ctx) => {
  if (SIZES.some((n) => !Number.isInteger(n) || n <= 0))
    throw new Error('BENCH_COST_BOOKINGS: counts like 10000,100000')
  const { app, token, close } = await benchApp(ctx.databaseUrl)
  try {
    const db = app.bookings.deps.db
    const template = await seedListing(app, { start: '00:00', end: '24:00' }, { maxAdvanceDays: 365 })
    // The other listings copy the template's replica row under new ids: one statement, not 10k feed events.
    await sql`
      insert into listing_replica (listing_id, organization_id, organization_name, kind, status, version, title,
        capacity, pricing, rules, availability, updated_at)
      select gen_random_uuid(), organization_id, organization_name, kind, status, version, title || i, capacity,
        pricing, rules, availability, updated_at
      from listing_replica, generate_series(2, ${LISTINGS}) i
      where listing_id = ${template.id}`.execute(db)
    const ids = (await db.selectFrom('listingReplica').select('listingId').execute()).map((r) => r.listingId)
    ctx.log(`${ids.length} listings`)
    const r = requester()
    const bearer = `Bearer ${await token(r.actor)}`
    let seeded = 0
    let probe = 0
    const rows: Array<{
      size: number
      availabilityP50: number
      availabilityP99: number
      createP50: number
      createP99: number
    }> = []
    for (const size of [...SIZES].sort((a, b) => a - b)) {
      // Booking j: listing j mod L, the (j div L)-th two-hour step; confirmed, so it holds its slot.
      const t0 = performance.now()
      for (let from = seeded; from < size; from += 100_000) {
        const to = Math.min(size, from + 100_000)
        await sql`
          with l as (select listing_id, row_number() over (order by listing_id) - 1 as n from listing_replica)
          insert into bookings (id, listing_id, listing_kind, listing_title, provider_organization_id,
            requester_organization_id, requester_user_id, status, start_at, end_at, buffer_minutes, busy_until,
            attendees, purpose, price, cancellation, payment_provider, payment_status, version, created_at, updated_at)
          select gen_random_uuid(), l.listing_id, 'venue', '成本曲线', gen_random_uuid(), gen_random_uuid(),
            gen_random_uuid(), 'confirmed', s.start_at, s.start_at + interval '1 hour', 0,
            s.start_at + interval '1 hour', 5, '基准', '{"model":"free","unit":null,"unitAmount":0,"quantity":1,"amount":0,"deposit":0,"currency":"CNY"}',
            ${JSON.stringify(cancellationTermsOf(undefined))}::jsonb, 'offline', 'none', 1, now(), now()
          from generate_series(${from}::bigint, ${to - 1}::bigint) j
          join l on l.n = j % ${ids.length}
          cross join lateral (
            select to_timestamp(${SEED_FROM / 1000} + (j / ${ids.length}) * 7200) as start_at
          ) s`.execute(db)
      }
      await sql`analyze bookings`.execute(db)
      seeded = size
      ctx.log(`${size} bookings (seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s)`)

      const availability: number[] = []
      const creation: number[] = []
      // Warm-up rounds, not counted, at every size: without them the first size measured also pays the JIT
      // and cold caches, which flattered the largest/smallest ratio (0.66x in the run of 1 Dec 09:47).
      for (let i = -WARMUP; i < SAMPLES; i++) {
        const k = i + WARMUP
        const listingId = ids[(k * 7919) % ids.length]!
        // A 30-day window over the seeded bookings: the listing page's first view.
        const from = new Date(SEED_FROM + (k % 20) * 24 * HOUR)
        const to = new Date(from.getTime() + 30 * 24 * HOUR)
        let started = performance.now()
        const res = await app.inject({
          method: 'GET',
          url: `/v1/availability/${listingId}?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`,
        })
        if (i >= 0) availability.push(performance.now() - started)
        if (res.statusCode !== 200) throw new Error(res.body)
        // A booking in a later month, beside the seeded ones of the same listing.
        const start = new Date(Date.UTC(2027, 5, 1) + probe++ * 2 * HOUR)
        started = performance.now()
        const created = await app.inject({
          method: 'POST',
          url: '/v1/bookings',
          headers: { authorization: bearer, 'idempotency-key': randomUUID() },
          payload: {
            listingId,
            organizationId: r.organizationId,
            start: start.toISOString(),
            end: new Date(start.getTime() + HOUR).toISOString(),
            attendees: 5,
            purpose: '成本曲线',
          },
        })
        if (i >= 0) creation.push(performance.now() - started)
        if (created.statusCode !== 201) throw new Error(created.body)
      }
      rows.push({
        size,
        availabilityP50: percentile(availability, 50),
        availabilityP99: percentile(availability, 99),
        createP50: percentile(creation, 50),
        createP99: percentile(creation, 99),
      })
    }
    const first = rows[0]!
    const last = rows[rows.length - 1]!
    const metrics = rows.flatMap((row) => [
      { metric: `${row.size} bookings: availability p50`, value: row.availabilityP50, unit: 'ms' },
      { metric: `${row.size} bookings: availability p99`, value: row.availabilityP99, unit: 'ms' },
      { metric: `${row.size} bookings: creation p50`, value: row.createP50, unit: 'ms' },
      { metric: `${row.size} bookings: creation p99`, value: row.createP99, unit: 'ms' },
    ])
    const ratio = (a: number, b: number) => a / Math.max(b, 0.001)
    const availabilityRatio = ratio(last.availabilityP50, first.availabilityP50)
    const createRatio = ratio(last.createP50, first.createP50)
    return {
      name: `bookings: cost curve over ${SIZES.join(' / ')} bookings across ${ids.length} listings`,
      metrics,
      ratios: [
        {
          // Issue 17: the bookings paths stay within 1.3× from the smallest to the largest table.
          name: `availability p50, ${last.size} / ${first.size} bookings`,
          value: availabilityRatio,
          target: `<= ${TARGET}`,
          pass: availabilityRatio <= TARGET,
        },
        {
          name: `creation p50, ${last.size} / ${first.size} bookings`,
          value: createRatio,
          target: `<= ${TARGET}`,
          pass: createRatio <= TARGET,
        },
      ],
      details: { sizes: SIZES, listings: ids.length, samples: SAMPLES },
    }
  } finally {
    await close()
  }
}
export default bench
