import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import type { SearchQuery } from '@commons/contracts'
import { SearchQuery as SearchQuerySchema } from '@commons/contracts'
import { type Benchmark, freePort } from '@commons/testkit'
import autocannon from 'autocannon'
import { searchFilters, sortOf } from '../src/search/filters.ts'
import { HIGHLIGHT } from '../src/search/hits.ts'
import { baseParams, FACETS } from '../src/search/search.service.ts'
import { corpus } from './lib/corpus.ts'

const CONNECTIONS = 32
const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 15)
const SERVE = fileURLToPath(new URL('./lib/serve.ts', import.meta.url))

/** The queries, as the API takes them; each also goes to Meilisearch directly, as discovery would send it. */
const QUERIES: Array<Record<string, string>> = [
  { q: '会议室' },
  { q: '法律咨询' },
  { q: '活动室', district: '浦东新区' },
  { q: '多功能厅', sort: 'price_asc' },
  { q: '培训', kind: 'expertise' },
  { q: '摄影志愿服务' },
  { kind: 'venue', capacityMin: '100', amenities: 'projector' },
  { q: '会场', near: '31.2304,121.4737', radiusKm: '5', sort: 'distance' },
  { free: 'true', district: '徐汇区', sort: 'newest' },
  { q: '心理咨询', verified: 'true', page: '2' },
  { q: '报告厅 党建', perPage: '10' },
  { tags: '党建', sort: 'rating' },
]

/** The body discovery sends to Meilisearch for a query (same builders as the service). */
function meiliBody(raw: Record<string, string>) {
  const query: SearchQuery = SearchQuerySchema.parse(raw)
  return {
    ...baseParams(query.q),
    filter: searchFilters(query),
    sort: sortOf(query),
    page: query.page,
    hitsPerPage: query.perPage,
    facets: FACETS,
    ...HIGHLIGHT,
  }
}

async function load(url: string, requests: autocannon.Request[]) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_SECONDS, requests })
  const bad = result.non2xx + result.errors + result.timeouts
  if (bad > 0) throw new Error(`${bad} failed requests (non-2xx ${result.non2xx}, errors ${result.errors})`)
  return result
}

/**
 * Search latency through discovery (in a process of its own, as deployed) vs. the same queries sent to
 * Meilisearch directly, 32 connections each, one after the other on the same corpus.
 */
const bench: Benchmark = async (ctx) => {
  const c = await corpus(ctx)
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=development', SERVE], {
    env: { ...process.env, ...c.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  try {
    const [line] = (await once(child.stdout!.setEncoding('utf8'), 'data')) as [string]
    const url = line.trim()
    const index = `${c.env.MEILI_INDEX_PREFIX}listings`
    const serviceRequests = QUERIES.map((q) => ({
      method: 'GET' as const,
      path: `/v1/search?${new URLSearchParams(q)}`,
    }))
    const directRequests = QUERIES.map((q) => ({
      method: 'POST' as const,
      path: `/indexes/${index}/search`,
      headers: { authorization: `Bearer ${ctx.meiliKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(meiliBody(q)),
    }))
    ctx.log('warming up')
    for (const r of serviceRequests) {
      const res = await fetch(`${url}${r.path}`)
      if (res.status !== 200) throw new Error(`${r.path}: ${res.status} ${await res.text()}`)
    }
    ctx.log(`direct: ${CONNECTIONS} connections for ${DURATION_SECONDS} s`)
    const direct = await load(ctx.meiliUrl, directRequests)
    ctx.log(`discovery: ${CONNECTIONS} connections for ${DURATION_SECONDS} s`)
    const service = await load(url, serviceRequests)
    const ratio = service.latency.p99 / Math.max(direct.latency.p99, 0.001)
    return {
      name: 'discovery search latency (service vs Meilisearch direct)',
      metrics: [
        { metric: 'service p50', value: service.latency.p50, unit: 'ms' },
        { metric: 'service p99', value: service.latency.p99, unit: 'ms' },
        { metric: 'service throughput', value: service.requests.average, unit: 'req/s' },
        { metric: 'direct p50', value: direct.latency.p50, unit: 'ms' },
        { metric: 'direct p99', value: direct.latency.p99, unit: 'ms' },
        { metric: 'direct throughput', value: direct.requests.average, unit: 'req/s' },
      ],
      // Issue 16: search through discovery stays within 1.15× of Meilisearch direct at p99.
      ratios: [{ name: 'p99 service / direct', value: ratio, target: '<= 1.15', pass: ratio <= 1.15 }],
      details: { listings: c.size, connections: CONNECTIONS, durationSeconds: DURATION_SECONDS, queries: QUERIES },
    }
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGTERM')
      await once(child, 'exit')
    }
  }
}
export default bench
