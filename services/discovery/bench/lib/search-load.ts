import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { type SearchQuery, SearchQuery as SearchQuerySchema } from '@commons/contracts'
import { freePort, percentile } from '@commons/testkit'
import autocannon from 'autocannon'
import { searchFilters, sortOf } from '../../src/search/filters.ts'
import { HIGHLIGHT } from '../../src/search/hits.ts'
import { baseParams, FACETS } from '../../src/search/search.service.ts'
import type { Corpus } from './corpus.ts'
import { cpuMs } from './cpu.ts'

/** Concurrent connections of a search load (the saturating one every search figure compares at). */
export const CONNECTIONS = 32

const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url))
const PROXY = fileURLToPath(new URL('./proxy.ts', import.meta.url))

/**
 * The search benchmarks' queries, as the API takes them: the same twelve for every search figure, so
 * figures of different benchmarks and corpus sizes compare.
 */
export const QUERIES: Array<Record<string, string>> = [
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

/** {@link QUERIES} as requests to discovery's search endpoint. */
export function searchRequests(): autocannon.Request[] {
  return QUERIES.map((q) => ({ method: 'GET' as const, path: `/v1/search?${new URLSearchParams(q)}` }))
}

/**
 * The direct request for a query: the body discovery sends to Meilisearch for it (same builders as the
 * service), which for a "near" query is one page of the circle's bounding box.
 */
export function meiliBody(raw: Record<string, string>) {
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

/** What a load measured: latency percentiles over every request, and completed requests per second. */
export interface LoadResult {
  p50: number
  p99: number
  throughput: number
  requests: number
  /** p99 of each request of the list, in its order. */
  p99ByRequest: number[]
  /** Every latency of each request of the list, in its order. */
  latenciesByRequest: number[][]
  /** CPU ms per measured request of each of `processes` that could be read (lib/cpu.ts). */
  cpuPerRequest: Record<string, number>
}

/**
 * `connections` ({@link CONNECTIONS} unless given), each going through all of `requests` in whole rounds, for about `seconds`;
 * every request is measured to its end. A load stopped by a timer (autocannon's `duration`)
 * drops the requests still in flight, which are the slowest, and when a connection completes only a few
 * requests in the time (100k listings under load: seven in ten seconds), the queries late in the list
 * are never measured at all. A first round, not counted, warms up and sizes the measured run. Any failed
 * request fails the benchmark: a latency measured over errors would flatter the service.
 */
export async function load(
  url: string,
  requests: autocannon.Request[],
  seconds: number,
  connections = CONNECTIONS,
  processes: Record<string, number | undefined> = {},
): Promise<LoadResult> {
  const first = await rounds(url, requests, 1, connections)
  const count = Math.max(1, Math.ceil((seconds * 1000) / first.elapsedMs))
  const cpu = () => Object.entries(processes).map(([name, pid]) => [name, pid && cpuMs(pid)] as const)
  const before = cpu()
  const { latencies, byRequest, elapsedMs } = await rounds(url, requests, count, connections)
  const after = new Map(cpu())
  const cpuPerRequest: Record<string, number> = {}
  for (const [name, start] of before) {
    const end = after.get(name)
    if (start !== undefined && end !== undefined) cpuPerRequest[name] = (end - start) / latencies.length
  }
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    throughput: (latencies.length * 1000) / elapsedMs,
    requests: latencies.length,
    p99ByRequest: byRequest.map((list) => percentile(list, 99)),
    latenciesByRequest: byRequest,
    cpuPerRequest,
  }
}

/** `count` whole rounds of `requests` on every connection; the latency of each response, also by request. */
async function rounds(url: string, requests: autocannon.Request[], count: number, connections: number) {
  const length = requests.length
  const latencies: number[] = []
  const byRequest = requests.map((): number[] => [])
  const started = performance.now()
  let last = started
  // Connections all starting at the first request would send it 32 times at once, a burst no steady load
  // has, so the connections are spread over the list: group k starts at request k (one autocannon each,
  // since autocannon starts every connection of an instance at the same request).
  const groups = Array.from(
    { length: Math.min(length, connections) },
    (_, k) => Math.floor(connections / length) + (k < connections % length ? 1 : 0),
  )
  await Promise.all(
    groups.map(
      (connections, k) =>
        new Promise<void>((resolve, reject) => {
          const rotated = [...requests.slice(k), ...requests.slice(0, k)]
          const instance = autocannon(
            { url, connections, amount: connections * length * count, requests: rotated },
            (error, result) => {
              if (error) return reject(error)
              const bad = result.non2xx + result.errors + result.timeouts
              if (bad > 0)
                reject(new Error(`${bad} failed requests (non-2xx ${result.non2xx}, errors ${result.errors})`))
              else resolve()
            },
          )
          // A connection sends its list in order, one request at a time: its n-th answer is to request k + n.
          const answered = new Map<unknown, number>()
          instance.on('response', (client, _status, _bytes, responseTime) => {
            const n = answered.get(client) ?? 0
            answered.set(client, n + 1)
            byRequest[(k + n) % length]!.push(responseTime)
            latencies.push(responseTime)
            last = performance.now()
          })
        }),
    ),
  )
  // Up to a second passes between the last response and autocannon's report: time to the last response.
  return { latencies, byRequest, elapsedMs: last - started }
}

/**
 * The discovery app on the corpus in a process of its own, as deployed, so the load generator does not
 * share its event loop; warmed up with one pass of {@link QUERIES}. `stop` ends the process.
 */
export async function startSearchProcess(c: Corpus): Promise<Child> {
  const child = await startChild(SERVE, { ...c.env, PORT: String(await freePort()) })
  try {
    for (const r of searchRequests()) {
      const res = await fetch(`${child.url}${r.path}`)
      if (res.status !== 200) throw new Error(`${r.path}: ${res.status} ${await res.text()}`)
    }
    return child
  } catch (error) {
    await child.stop()
    throw error
  }
}

/**
 * The floor of any HTTP service in front of Meilisearch (proxy.ts): a process of its own forwarding each
 * request to `target` unchanged. `stop` ends the process.
 */
export function startProxyProcess(target: string): Promise<Child> {
  return startChild(PROXY, { PROXY_TARGET: target })
}

/** A benchmark's server process: the URL it listens on, its pid, and how to end it. */
export interface Child {
  url: string
  pid: number | undefined
  stop: () => Promise<void>
}

/** Runs `entry` in a Node process of its own with `env` added; resolves with the URL it prints. */
async function startChild(entry: string, env: Record<string, string>): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=development', entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      await once(child, 'exit')
    }
  }
  try {
    const [line] = (await once(child.stdout!.setEncoding('utf8'), 'data')) as [string]
    return { url: line.trim(), pid: child.pid, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
