import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { freePort } from '@commons/testkit'
import autocannon from 'autocannon'
import type { Corpus } from './corpus.ts'

/** Concurrent connections of every search load. */
export const CONNECTIONS = 32

const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url))

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
 * {@link CONNECTIONS} connections cycling through `requests` for `seconds`. Any failed request fails the
 * benchmark: a latency measured over errors would flatter the service.
 */
export async function load(url: string, requests: autocannon.Request[], seconds: number) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds, requests })
  const bad = result.non2xx + result.errors + result.timeouts
  if (bad > 0) throw new Error(`${bad} failed requests (non-2xx ${result.non2xx}, errors ${result.errors})`)
  return result
}

/**
 * The discovery app on the corpus in a process of its own, as deployed, so the load generator does not
 * share its event loop; warmed up with one pass of {@link QUERIES}. `stop` ends the process.
 */
export async function startSearchProcess(c: Corpus): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=development', SERVE], {
    env: { ...process.env, ...c.env, PORT: String(port) },
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
    const url = line.trim()
    for (const r of searchRequests()) {
      const res = await fetch(`${url}${r.path}`)
      if (res.status !== 200) throw new Error(`${r.path}: ${res.status} ${await res.text()}`)
    }
    return { url, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
