import { type Benchmark, percentile } from '@commons/testkit'
import { type Corpus, createCorpus, growCorpus } from './lib/corpus.ts'
import { LAG_RATE_PER_SECOND, measureLag } from './lib/lag.ts'
import { CONNECTIONS, type LoadResult, load, QUERIES, searchRequests, startSearchProcess } from './lib/search-load.ts'

/**
 * Index sizes, as comma-separated listing counts; the curve is 10k and 100k listings. Not
 * `BENCH_COST_LISTINGS`: the bookings cost curve already reads that as one count (the listings its bookings
 * spread over), and a list there would break it in a full `pnpm bench` run.
 */
const SIZES = (process.env.BENCH_COST_INDEX_SIZES ?? '10000,100000').split(',').map(Number)
/** Seconds of search load, and of publications for the lag, at each size. */
const SECONDS = Number(process.env.BENCH_COST_SECONDS ?? 10)
const TARGET = 2

interface Row {
  size: number
  searchP50: number
  searchP99: number
  throughput: number
  searches: number
  p99ByQuery: number[]
  lagP50: number
  lagP99: number
}

/** Index of the query with the highest p99 at a size. */
const slowest = (row: Row) => row.p99ByQuery.indexOf(Math.max(...row.p99ByQuery))

/**
 * Search latency and publish → searchable lag as the index grows (issue 17 item 4): one corpus, indexed at
 * the smallest size, measured, grown to the next size and measured again, so the largest size is compared
 * with the smallest in the same run on the same documents.
 */
const bench: Benchmark = async (ctx) => {
  if (SIZES.length < 2 || SIZES.some((n) => !Number.isInteger(n) || n <= 0))
    throw new Error('BENCH_COST_INDEX_SIZES: at least two counts, like 10000,100000')
  const sizes = [...SIZES].sort((a, b) => a - b)
  const largest = sizes.at(-1)!
  let c: Corpus | undefined
  const rows: Row[] = []
  for (const [step, size] of sizes.entries()) {
    c = c === undefined ? await createCorpus(ctx, size) : await growCorpus(ctx, c, size)
    ctx.log(`${size} listings: search, ${CONNECTIONS} connections for ${SECONDS} s`)
    const search = await startSearchProcess(c)
    let result: LoadResult
    try {
      result = await load(search.url, searchRequests(), SECONDS)
    } finally {
      await search.stop()
    }
    ctx.log(`${size} listings: publish -> searchable at ${LAG_RATE_PER_SECOND}/s for ${SECONDS} s`)
    // Numbers past every size of the curve, one range per step, so no publication is a listing the
    // corpus will grow into.
    const lags = await measureLag(ctx, c, {
      seconds: SECONDS,
      firstListing: largest + step * LAG_RATE_PER_SECOND * SECONDS,
    })
    rows.push({
      size,
      searchP50: result.p50,
      searchP99: result.p99,
      throughput: result.throughput,
      searches: result.requests,
      p99ByQuery: result.p99ByRequest,
      lagP50: percentile(lags, 50),
      lagP99: percentile(lags, 99),
    })
  }
  const first = rows[0]!
  const last = rows.at(-1)!
  const ratio = (a: number, b: number) => a / Math.max(b, 0.001)
  const searchRatio = ratio(last.searchP99, first.searchP99)
  return {
    name: `discovery: cost curve over ${sizes.join(' / ')} listings`,
    metrics: [
      ...rows.flatMap((row) => [
        { metric: `${row.size} listings: search p50`, value: row.searchP50, unit: 'ms' },
        { metric: `${row.size} listings: search p99`, value: row.searchP99, unit: 'ms' },
        { metric: `${row.size} listings: search throughput`, value: row.throughput, unit: 'req/s' },
        { metric: `${row.size} listings: searches measured`, value: row.searches, unit: 'requests' },
        {
          metric: `${row.size} listings: slowest query p99 (query ${slowest(row) + 1} of ${QUERIES.length})`,
          value: row.p99ByQuery[slowest(row)]!,
          unit: 'ms',
        },
        { metric: `${row.size} listings: lag p50`, value: Math.round(row.lagP50), unit: 'ms' },
        { metric: `${row.size} listings: lag p99`, value: Math.round(row.lagP99), unit: 'ms' },
      ]),
      // The issue sets no target for how the lag grows; its own target (p99 < 1 s) is indexing-lag's.
      { metric: `lag p99, ${last.size} / ${first.size} listings`, value: ratio(last.lagP99, first.lagP99), unit: 'x' },
      { metric: `lag p50, ${last.size} / ${first.size} listings`, value: ratio(last.lagP50, first.lagP50), unit: 'x' },
    ],
    ratios: [
      {
        // Issue 17: search p99 within 2× from 10k to 100k listings.
        name: `search p99, ${last.size} / ${first.size} listings`,
        value: searchRatio,
        target: `<= ${TARGET}`,
        pass: searchRatio <= TARGET,
      },
    ],
    details: {
      sizes,
      connections: CONNECTIONS,
      seconds: SECONDS,
      lagRatePerSecond: LAG_RATE_PER_SECOND,
      // The lag's publications stay in the index: each size holds them on top of its listings.
      publishedPerSize: LAG_RATE_PER_SECOND * SECONDS,
      queries: QUERIES,
      // Which queries make the p99 of the mix, at each size.
      searchP99ByQuery: Object.fromEntries(
        rows.map((row) => [row.size, row.p99ByQuery.map((ms, i) => ({ query: QUERIES[i], p99: Math.round(ms) }))]),
      ),
    },
  }
}
export default bench
