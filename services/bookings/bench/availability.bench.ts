import { Availability, BookingRules } from '@commons/contracts'
import { bookableSlots } from '@commons/scheduling'
import type { Benchmark } from '@commons/testkit'
import { BENCH_NOW, benchApp, requester, seedListing } from './support.ts'

const BOOKINGS = 500
const WINDOW_DAYS = 90
const DURATION_S = 5
const WARMUP_S = 2
const PURE_TARGET_PER_S = 3000

/** Availability of a 90-day window of a listing with 500 bookings: the pure function and the endpoint. */
const bench: Benchmark = async (ctx) => {
  const { app, token, close } = await benchApp(ctx.databaseUrl)
  try {
    const listing = await seedListing(app, { start: '08:00', end: '22:00' }, { bufferMinutes: 15 })
    const r = requester()
    const bearer = `Bearer ${await token(r.actor)}`
    const from = new Date('2026-11-23T00:00:00+08:00')
    const to = new Date(from.getTime() + WINDOW_DAYS * 86_400_000)
    // 500 one-hour bookings spread over the window: about 5.5 a day, 8:00 to 20:00 every 2 h.
    let made = 0
    for (let day = 0; made < BOOKINGS && day < WINDOW_DAYS; day++) {
      for (let k = 0; k < 6 && made < BOOKINGS; k++) {
        const start = new Date(from.getTime() + day * 86_400_000 + (8 + 2 * k) * 3600_000)
        const res = await app.inject({
          method: 'POST',
          url: '/v1/bookings',
          headers: { authorization: bearer },
          payload: {
            listingId: listing.id,
            organizationId: r.organizationId,
            start: start.toISOString(),
            end: new Date(start.getTime() + 3600_000).toISOString(),
            attendees: 5,
            purpose: '基准',
          },
        })
        if (res.statusCode !== 201) throw new Error(`seeding failed: ${res.body}`)
        made += 1
      }
    }
    ctx.log(`${made} bookings seeded`)

    const busy = (
      await app.bookings.deps.db
        .selectFrom('bookings')
        .select(['startAt', 'endAt'])
        .where('listingId', '=', listing.id)
        .execute()
    ).map((b) => ({ start: b.startAt, end: b.endAt }))
    const input = {
      availability: Availability.parse(listing.availability),
      rules: BookingRules.parse(listing.rules),
      busy,
      bufferMinutes: 15,
      from,
      to,
      now: BENCH_NOW,
    }
    const pure = measure(() => bookableSlots(input))
    const url = `/v1/availability/${listing.id}?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`
    const check = await app.inject({ method: 'GET', url })
    const slots = check.json().slots.length
    const endpoint = await measureAsync(async () => {
      const res = await app.inject({ method: 'GET', url })
      if (res.statusCode !== 200) throw new Error(res.body)
    })
    // The floor under any endpoint: the cheapest request through the same app.inject loop (routing, hooks,
    // serialisation, no database), so the endpoint's distance from 0.5x the pure function is measured:
    // what the HTTP layer alone costs against what the endpoint adds to it.
    const floor = await measureAsync(async () => {
      const res = await app.inject({ method: 'GET', url: '/health' })
      if (res.statusCode !== 200) throw new Error(res.body)
    })
    return {
      name: 'bookings: availability of a 90-day window with 500 bookings',
      metrics: [
        { metric: 'bookableSlots (pure) per second', value: pure, unit: 'ops/s' },
        { metric: 'GET /v1/availability per second', value: endpoint, unit: 'ops/s' },
        { metric: 'slots in the window', value: slots, unit: 'slots' },
        { metric: 'GET /health (HTTP floor) per second', value: floor, unit: 'ops/s' },
      ],
      ratios: [
        {
          // Issue 17: an interval sweep over cached opening spans should reach 3,000 per second here.
          name: 'bookableSlots (pure) / 3,000 per second',
          value: pure / PURE_TARGET_PER_S,
          target: '>= 1',
          pass: pure >= PURE_TARGET_PER_S,
        },
        {
          // Issue 17: the endpoint, one query plus the function, at half the pure function's throughput or more.
          name: 'endpoint / pure function throughput',
          value: endpoint / pure,
          target: '>= 0.5',
          pass: endpoint / pure >= 0.5,
        },
        {
          // Not a target: how close the endpoint runs to the HTTP floor of the same loop. Near 1, the endpoint
          // is bound by the framework's per-request cost, and its ratio to the pure function says so.
          name: 'endpoint / HTTP floor (GET /health) throughput',
          value: endpoint / floor,
          target: 'reported, no target',
          pass: true,
        },
        {
          // The endpoint cannot run faster than the floor: below 0.5 here, the 0.5x target above is out of
          // reach for any endpoint served through this stack, whatever the endpoint does.
          name: 'HTTP floor / pure function throughput',
          value: floor / pure,
          target: '>= 0.5 (else the endpoint target is out of reach)',
          pass: floor / pure >= 0.5,
        },
      ],
      details: { bookings: made, windowDays: WINDOW_DAYS },
    }
  } finally {
    await close()
  }
}

function measure(fn: () => unknown): number {
  // Untimed first: right after seeding, the JIT and the machine are still busy with what came before, and
  // the first seconds measured that rather than the function (5 s at 160/s, then 1,800/s in the same run).
  for (const end = performance.now() + WARMUP_S * 1000; performance.now() < end; ) fn()
  let n = 0
  const end = performance.now() + DURATION_S * 1000
  while (performance.now() < end) {
    fn()
    n += 1
  }
  return n / DURATION_S
}

async function measureAsync(fn: () => Promise<unknown>): Promise<number> {
  for (const end = performance.now() + WARMUP_S * 1000; performance.now() < end; ) await fn()
  let n = 0
  const end = performance.now() + DURATION_S * 1000
  while (performance.now() < end) {
    await fn()
    n += 1
  }
  return n / DURATION_S
}

export default bench
