import { type Benchmark, percentile } from '@commons/testkit'
import type autocannon from 'autocannon'
import { corpus } from './lib/corpus.ts'
import { listeningPid } from './lib/cpu.ts'
import {
  CONNECTIONS,
  type LoadResult,
  load,
  meiliBody,
  QUERIES,
  searchRequests,
  startProxyProcess,
  startSearchProcess,
} from './lib/search-load.ts'

const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 15)

/**
 * Search latency through discovery (in a process of its own, as deployed) vs. the same queries sent to
 * Meilisearch directly, 32 connections each, one after the other on the same corpus. Two more figures say
 * what the ratio is made of:
 * - the floor: the direct requests through a bare Node proxy (lib/proxy.ts), what one HTTP hop in front of
 *   Meilisearch costs before any logic. 32 connections keep both cores busy, so a p99 there follows the
 *   CPU a request takes on the machine, and the hop's CPU is taken from Meilisearch's;
 * - one connection, the latency a single user waits, discovery vs direct;
 * - the eleven queries other than the near one, alone, both ways: what the hop and discovery's own work
 *   cost without the near query's extra searches taking Meilisearch's CPU from them;
 * - the CPU each request costs Meilisearch, the process in front of it and the load generator (lib/cpu.ts),
 *   which is what a saturating load's latency follows and varies less from run to run than a p99.
 */
const bench: Benchmark = async (ctx) => {
  const c = await corpus(ctx)
  ctx.log('starting discovery and warming up')
  const { url, pid, stop } = await startSearchProcess(c)
  const proxy = await startProxyProcess(ctx.meiliUrl).catch(async (error: unknown) => {
    await stop()
    throw error
  })
  try {
    const index = `${c.env.MEILI_INDEX_PREFIX}listings`
    const serviceRequests = searchRequests()
    const directRequests = QUERIES.map((q) => ({
      method: 'POST' as const,
      path: `/indexes/${index}/search`,
      headers: { authorization: `Bearer ${ctx.meiliKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(meiliBody(q)),
    }))
    const meili = listeningPid(Number(new URL(ctx.meiliUrl).port))
    const loadgen = process.pid
    const run = (target: string, requests: autocannon.Request[], hop?: number) =>
      load(target, requests, DURATION_SECONDS, CONNECTIONS, { meili, hop, loadgen })
    ctx.log(`direct: ${CONNECTIONS} connections for ${DURATION_SECONDS} s`)
    const direct = await run(ctx.meiliUrl, directRequests)
    ctx.log(`bare proxy: ${CONNECTIONS} connections for ${DURATION_SECONDS} s`)
    const floor = await run(proxy.url, directRequests, proxy.pid)
    ctx.log(`discovery: ${CONNECTIONS} connections for ${DURATION_SECONDS} s`)
    const service = await run(url, serviceRequests, pid)
    // Where the p99 comes from: the near query (ordered by distance in discovery, which the direct query,
    // one page of the circle's box, is not), and the eleven others, whose answers are the same both ways.
    const near = QUERIES.findIndex((q) => q.near !== undefined)
    const others = (r: LoadResult) => percentile(r.latenciesByRequest.filter((_, i) => i !== near).flat(), 99)
    ctx.log(`the eleven alone, ${CONNECTIONS} connections for ${DURATION_SECONDS} s each: direct, discovery`)
    const directEleven = await run(
      ctx.meiliUrl,
      directRequests.filter((_, i) => i !== near),
    )
    const serviceEleven = await run(
      url,
      serviceRequests.filter((_, i) => i !== near),
      pid,
    )
    const alone = Math.max(3, Math.round(DURATION_SECONDS / 3))
    ctx.log(`one connection for ${alone} s each: direct, discovery`)
    const directAlone = await load(ctx.meiliUrl, directRequests, alone, 1)
    const serviceAlone = await load(url, serviceRequests, alone, 1)
    const ratio = service.p99 / Math.max(direct.p99, 0.001)
    const floorRatio = floor.p99 / Math.max(direct.p99, 0.001)
    // CPU ms per request, where /proc could be read: Meilisearch's, the hop's (discovery or the bare proxy)
    // and the load generator's, and their sum, the machine's.
    const cpu = (label: string, r: LoadResult) => {
      const parts = Object.entries(r.cpuPerRequest)
      if (parts.length === 0) return []
      const sum = parts.reduce((total, [, ms]) => total + ms, 0)
      return [
        ...parts.map(([name, ms]) => ({ metric: `CPU per request, ${label}: ${name}`, value: ms, unit: 'ms' })),
        { metric: `CPU per request, ${label}: all`, value: sum, unit: 'ms' },
      ]
    }
    return {
      name: 'discovery search latency (service vs Meilisearch direct)',
      metrics: [
        { metric: 'service p50', value: service.p50, unit: 'ms' },
        { metric: 'service p99', value: service.p99, unit: 'ms' },
        { metric: 'service throughput', value: service.throughput, unit: 'req/s' },
        { metric: 'direct p50', value: direct.p50, unit: 'ms' },
        { metric: 'direct p99', value: direct.p99, unit: 'ms' },
        { metric: 'direct throughput', value: direct.throughput, unit: 'req/s' },
        { metric: 'bare proxy p50', value: floor.p50, unit: 'ms' },
        { metric: 'bare proxy p99', value: floor.p99, unit: 'ms' },
        { metric: 'bare proxy throughput', value: floor.throughput, unit: 'req/s' },
        { metric: 'bare proxy p99 / direct p99', value: floorRatio, unit: '×' },
        { metric: 'near query p99, service', value: service.p99ByRequest[near]!, unit: 'ms' },
        { metric: 'near query p99, direct', value: direct.p99ByRequest[near]!, unit: 'ms' },
        { metric: 'other eleven p99, service', value: others(service), unit: 'ms' },
        { metric: 'other eleven p99, direct', value: others(direct), unit: 'ms' },
        { metric: 'the eleven alone p99, service', value: serviceEleven.p99, unit: 'ms' },
        { metric: 'the eleven alone p99, direct', value: directEleven.p99, unit: 'ms' },
        { metric: 'the eleven alone p99, service / direct', value: serviceEleven.p99 / directEleven.p99, unit: '×' },
        ...cpu('direct', direct),
        ...cpu('bare proxy', floor),
        ...cpu('service', service),
        ...cpu('the eleven alone, direct', directEleven),
        ...cpu('the eleven alone, service', serviceEleven),
        { metric: 'one connection p50, service', value: serviceAlone.p50, unit: 'ms' },
        { metric: 'one connection p99, service', value: serviceAlone.p99, unit: 'ms' },
        { metric: 'one connection p50, direct', value: directAlone.p50, unit: 'ms' },
        { metric: 'one connection p99, direct', value: directAlone.p99, unit: 'ms' },
        { metric: 'one connection, other eleven p99, service', value: others(serviceAlone), unit: 'ms' },
        { metric: 'one connection, other eleven p99, direct', value: others(directAlone), unit: 'ms' },
      ],
      // Issue 16: search through discovery stays within 1.15× of Meilisearch direct at p99.
      ratios: [{ name: 'p99 service / direct', value: ratio, target: '<= 1.15', pass: ratio <= 1.15 }],
      details: { listings: c.size, connections: CONNECTIONS, durationSeconds: DURATION_SECONDS, queries: QUERIES },
    }
  } finally {
    await proxy.stop()
    await stop()
  }
}
export default bench
