import { SearchQuery } from '@commons/contracts'
import { parseConfig } from '@commons/service-kit'
import type { BenchMetric, Benchmark } from '@commons/testkit'
import type { Meilisearch } from 'meilisearch'
import { DiscoveryConfig } from '../src/config.ts'
import { radiusMetersOf, searchFilters } from '../src/search/filters.ts'
import { createMeili } from '../src/search/meili.ts'
import { nearPage } from '../src/search/near-page.ts'
import type { SearchDeps } from '../src/search/params.ts'
import { prepareQuery } from '../src/search/query.ts'
import { corpus } from './lib/corpus.ts'
import { meiliBody, QUERIES } from './lib/search-load.ts'

/** Times each request is sent, one after another, for its mean. */
const REPEAT = Number(process.env.BENCH_NEAR_REPEAT ?? 40)

/**
 * What the search benchmark's "near" query asks of Meilisearch, request by request: the searches
 * discovery's nearPage makes for it (recorded as it makes them, then each sent again alone, one at a
 * time), next to the direct request, one page of the circle's box. Two pairs of searches split a search's
 * cost into its two parts: filtering (the same search counting only, with the circle's strips or without)
 * and each hit returned (the band's outer strips with every hit and with none). Run it on an idle
 * machine: one connection, so a request's time is the work it takes.
 */
const bench: Benchmark = async (ctx) => {
  const c = await corpus(ctx)
  const meili = createMeili(parseConfig(DiscoveryConfig, c.env))
  const raw = QUERIES.find((q) => q.near !== undefined)!
  const query = SearchQuery.parse(raw)
  const made: Array<{ path: string; body: Record<string, unknown> }> = []
  const index = `/indexes/${meili.listingsIndex}/search`
  const client = meili.search
  // The client as nearPage uses it, noting every request on its way.
  const recording = {
    multiSearch: (body: { queries: Array<Record<string, unknown>> }) => {
      made.push({ path: '/multi-search', body })
      return client.multiSearch(body as never)
    },
    index: (uid: string) => ({
      search: (q: string, params: Record<string, unknown>) => {
        made.push({ path: index, body: { q, ...params } })
        return client.index(uid).search(q, params)
      },
    }),
  } as unknown as Meilisearch
  const found = await nearPage({ meili: { ...meili, search: recording } } as SearchDeps, {
    q: prepareQuery(query.q).text,
    filter: searchFilters(query),
    center: query.near!,
    radiusM: radiusMetersOf(query),
    byDistance: query.sort === 'distance',
    page: query.page,
    perPage: query.perPage,
  })
  if (!found) throw new Error('the near query took the general path')

  const send = async (path: string, body: unknown) => {
    const res = await fetch(`${ctx.meiliUrl}${path}`, {
      method: 'POST',
      // As discovery asks (search/meili.ts): compressing answers costs Meilisearch more than most searches.
      headers: {
        authorization: `Bearer ${ctx.meiliKey}`,
        'content-type': 'application/json',
        'accept-encoding': 'identity',
      },
      body: JSON.stringify(body),
    })
    const json = (await res.json()) as { hits?: unknown[]; results?: Array<{ hits: unknown[] }> }
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`)
    return (json.results ?? [json]).reduce((n, r) => n + (r.hits?.length ?? 0), 0)
  }
  /** Mean milliseconds of the request sent {@link REPEAT} times after one unmeasured; the hits it returns. */
  const time = async (path: string, body: unknown) => {
    await send(path, body)
    const started = performance.now()
    let hits = 0
    for (let i = 0; i < REPEAT; i++) hits = await send(path, body)
    return { ms: (performance.now() - started) / REPEAT, hits }
  }

  const metrics: BenchMetric[] = []
  const direct = await time(index, meiliBody(raw))
  metrics.push({ metric: `direct request (${direct.hits} hits)`, value: direct.ms, unit: 'ms' })
  let total = 0
  let hits = 0
  const parts: Array<Record<string, unknown>> = []
  for (const [n, r] of made.entries()) {
    const one = await time(r.path, r.body)
    total += one.ms
    hits += one.hits
    metrics.push({ metric: `nearPage request ${n + 1} (${r.path}, ${one.hits} hits)`, value: one.ms, unit: 'ms' })
    const queries = (r.body.queries as Array<Record<string, unknown>> | undefined) ?? []
    for (const [k, { indexUid: _, ...alone }] of queries.entries()) {
      parts.push(alone)
      const part = await time(index, alone)
      metrics.push({ metric: `  search ${k + 1} of it alone (${part.hits} hits)`, value: part.ms, unit: 'ms' })
    }
  }
  metrics.push(
    { metric: 'nearPage requests, sum', value: total, unit: 'ms' },
    { metric: 'nearPage hits returned', value: hits, unit: 'hits' },
  )

  // The head (box) and inner-strips searches, counting only: what filtering costs with and without strips.
  const [head, inner, band] = parts as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>]
  const boxCount = await time(index, { ...head, hitsPerPage: 0 })
  const stripsCount = await time(index, { ...inner, facets: undefined })
  metrics.push(
    { metric: 'count in the box (4 ranges)', value: boxCount.ms, unit: 'ms' },
    { metric: 'count in the inner strips (4 ranges each)', value: stripsCount.ms, unit: 'ms' },
  )
  // The band's outer strips with every hit and with none: what one returned hit costs.
  const outer = { ...band, filter: (band.filter as string[]).filter((f) => !f.startsWith('NOT ')) }
  const every = await time(index, { ...outer, attributesToRetrieve: ['id'] })
  const none = await time(index, { ...outer, limit: 0 })
  metrics.push({
    metric: `one hit returned (outer strips, ${every.hits} hits, id only)`,
    value: ((every.ms - none.ms) * 1000) / Math.max(1, every.hits),
    unit: 'µs',
  })
  // The last search brings its hits highlighted, for the page: what that takes, per hit.
  const last = made.at(-1)!
  if (last.path === index) {
    const plain = await time(index, { ...last.body, attributesToHighlight: undefined, attributesToCrop: undefined })
    const shown = await time(index, last.body)
    metrics.push({
      metric: `one hit highlighted and cropped (last request, ${shown.hits} hits)`,
      value: ((shown.ms - plain.ms) * 1000) / Math.max(1, shown.hits),
      unit: 'µs',
    })
  }
  return {
    name: 'near query: what it asks of Meilisearch (one connection, request by request)',
    metrics,
    ratios: [],
    details: { listings: c.size, repeat: REPEAT, query: raw, total: found.total, requests: made },
  }
}
export default bench
