import { type Benchmark, percentile } from '@commons/testkit'
import { corpus } from './lib/corpus.ts'
import { LAG_POLL_MS, LAG_RATE_PER_SECOND, measureLag } from './lib/lag.ts'

const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 15)

/**
 * Lag from a listing's publication (its event committed to the listings outbox) to the listing being
 * searchable, at a steady 20 publications per second, through the real consumer.
 */
const bench: Benchmark = async (ctx) => {
  const c = await corpus(ctx)
  const lags = await measureLag(ctx, c, { seconds: DURATION_SECONDS, firstListing: c.size })
  const p50 = percentile(lags, 50)
  const p99 = percentile(lags, 99)
  return {
    name: 'discovery indexing lag (publish -> searchable)',
    metrics: [
      { metric: 'lag p50', value: Math.round(p50), unit: 'ms' },
      { metric: 'lag p99', value: Math.round(p99), unit: 'ms' },
      { metric: 'lag max', value: Math.round(Math.max(...lags)), unit: 'ms' },
      { metric: 'publications', value: lags.length, unit: 'listings' },
    ],
    ratios: [{ name: 'p99 lag / 1 s', value: p99 / 1000, target: '< 1', pass: p99 < 1000 }],
    details: {
      listings: c.size,
      ratePerSecond: LAG_RATE_PER_SECOND,
      durationSeconds: DURATION_SECONDS,
      pollMs: LAG_POLL_MS,
    },
  }
}
export default bench
