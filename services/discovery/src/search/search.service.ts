import type { Availability, BookingRules, Listing, SearchQuery, SearchResult } from '@commons/contracts'
import { sql } from 'kysely'
import type { MultiSearchParams, SearchResponse } from 'meilisearch'
import { bookableInWindow, type Interval } from '../availability/window.ts'
import { normalizeScript } from './chinese.ts'
import { facetDistribution } from './facets.ts'
import { anyOf, radiusMetersOf, searchFilters, sortOf, windowFilters } from './filters.ts'
import { distanceMeters, type Point, withinRadius } from './geo.ts'
import { HIGHLIGHT, type IndexedHit, markup, POST, PRE, toHit } from './hits.ts'
import { guardSearch, LISTING_SETTINGS } from './meili.ts'
import { type NearPage, nearPage } from './near-page.ts'
import {
  type Candidate,
  FACETS,
  GEO_CANDIDATES,
  LISTING_FACETS_MAX,
  preparedParams,
  type SearchDeps,
  type Strategy,
  totalOf,
  WINDOW_CANDIDATES,
} from './params.ts'
import { prepareQuery } from './query.ts'

export {
  baseParams,
  type Candidate,
  FACETS,
  GEO_CANDIDATES,
  preparedParams,
  type SearchDeps,
  WINDOW_CANDIDATES,
} from './params.ts'

/** Below this many hits, a query with a homophone typo fixed shows the fixed query's hits instead. */
const FEW_HITS = 3
/** Listings shown, and searches suggested, when nothing matched. */
const POPULAR = 6
/** Of how many of the most used listings the nearest are shown when nothing matched near a point. */
const POPULAR_NEAR_POOL = 200

/** `GET /v1/search`. */
export async function searchListings(deps: SearchDeps, query: SearchQuery): Promise<SearchResult> {
  const started = performance.now()
  const filter = searchFilters(query)
  const sort = sortOf(query)
  const { page, perPage } = query
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10

  // Without a window or a point, the index answers alone; otherwise discovery checks the candidates.
  if (!query.near && (!query.from || !query.to)) {
    const prepared = prepareQuery(query.q)
    const index = deps.meili.listingsIndex
    const params = (text: string, strategy: Strategy = 'all') => ({
      ...preparedParams(text, strategy),
      filter,
      sort,
      page,
      hitsPerPage: perPage,
      facets: FACETS,
      ...HIGHLIGHT,
    })
    let didYouMean: string | undefined
    let res = await guardSearch(async () => {
      if (prepared.didYouMean === undefined) {
        return deps.meili.search.index(index).search<IndexedHit>(prepared.text, params(prepared.text))
      }
      // A typo fix is a guess: the query as typed is searched alongside, in the same request, and wins
      // unless it finds next to nothing.
      const { results } = await deps.meili.search.multiSearch<MultiSearchParams, IndexedHit>({
        queries: [
          { indexUid: index, ...params(prepared.uncorrected) },
          { indexUid: index, ...params(prepared.text) },
        ],
      })
      const [typed, fixed] = [results[0]!, results[1]!] as SearchResponse<IndexedHit>[]
      if (totalOf(typed!) >= FEW_HITS || totalOf(fixed!) <= totalOf(typed!)) return typed!
      didYouMean = prepared.didYouMean
      return fixed!
    })
    if (totalOf(res) === 0 && prepared.text !== '') {
      // Nothing has every word: fall back to dropping words from the end, as Meilisearch does by default.
      res = await guardSearch(() =>
        deps.meili.search.index(index).search<IndexedHit>(prepared.text, params(prepared.text, 'last')),
      )
    }
    const result: SearchResult = {
      hits: res.hits.map((h) => toHit(h, query.near)),
      facets: res.facetDistribution ?? {},
      total: totalOf(res),
      page,
      perPage,
      processingTimeMs: 0,
    }
    if (didYouMean !== undefined) result.didYouMean = didYouMean
    if (result.total === 0) Object.assign(result, await whereElse(deps, query))
    result.processingTimeMs = elapsed()
    return result
  }

  const start = query.from && query.to ? new Date(query.from) : undefined
  const end = query.from && query.to ? new Date(query.to) : undefined
  const text = prepareQuery(query.q).text
  const near = query.near && {
    center: query.near,
    radiusM: radiusMetersOf(query),
    byDistance: query.sort === 'distance',
  }
  // A point without a window: the circle's count, facets and page come from the index without fetching
  // every candidate (nearPage); the rare search it cannot answer exactly takes the general path.
  let found: NearPage | undefined =
    near && !start && !sort ? await nearPage(deps, { q: text, filter, ...near, page, perPage }) : undefined
  if (!found) {
    const available = await availableHits(deps, {
      q: text,
      filter: start && end ? [...filter, ...windowFilters(start, end, deps.clock.now())] : filter,
      sort,
      start,
      end,
      near,
      attributes: FACETS,
    })
    found = {
      pageIds: available.slice((page - 1) * perPage, page * perPage).map((h) => h.id),
      total: available.length,
      facets: available.length > 0 ? facetDistribution(available, FACETS, LISTING_FACETS_MAX) : {},
    }
  }
  if (found.total === 0) {
    return { hits: [], facets: {}, total: 0, page, perPage, processingTimeMs: elapsed() }
  }
  // The page's hits, highlighted. Their ids passed every filter already, so the ids alone select them: the
  // box and the other filters would only make Meilisearch do that work again.
  const { pageIds } = found
  // A near search's own searches may have brought the page's hits highlighted already (nearPage).
  let byId = new Map(found.shown?.map((h) => [h.id, h]))
  if (!pageIds.every((id) => byId.has(id))) {
    const hits = await guardSearch(() =>
      deps.meili.search.index(deps.meili.listingsIndex).search<IndexedHit>(text, {
        ...preparedParams(text, 'last'),
        filter: [anyOf('id', pageIds.length > 0 ? pageIds : ['-'])],
        limit: perPage,
        ...HIGHLIGHT,
      }),
    )
    byId = new Map(hits.hits.map((h) => [h.id, h]))
  }
  return {
    hits: pageIds.flatMap((id) => {
      const hit = byId.get(id)
      return hit ? [toHit(hit, query.near)] : []
    }),
    facets: found.facets,
    total: found.total,
    page,
    perPage,
    processingTimeMs: elapsed(),
  }
}

/**
 * The best matches of `q` (prepared text) + `filter` that are bookable for [start, end) when a window is
 * given and lie within `near`'s circle when a point is, in the order of the index's ranking (or `sort`, or
 * the distance), with `attributes` retrieved. At most `WINDOW_CANDIDATES` matches are checked for a
 * window, `GEO_CANDIDATES` for a point.
 */
export async function availableHits(
  deps: SearchDeps,
  opts: {
    q: string
    filter: string[]
    sort?: string[]
    start?: Date
    end?: Date
    limit?: number
    near?: { center: Point; radiusM: number; byDistance: boolean }
    attributes?: readonly string[]
  },
): Promise<Candidate[]> {
  const { near } = opts
  const candidates = (strategy: Strategy) =>
    guardSearch(() =>
      deps.meili.search.index(deps.meili.listingsIndex).search<Candidate>(opts.q, {
        ...preparedParams(opts.q, strategy),
        filter: opts.filter,
        sort: opts.sort,
        limit: opts.limit ?? (near ? GEO_CANDIDATES : WINDOW_CANDIDATES),
        attributesToRetrieve: [...(near ? ['id', 'lat', 'lng'] : ['id']), ...(opts.attributes ?? [])],
        // The rules' verdicts, to put the distance where a `_geoPoint` sort stood among them.
        showRankingScoreDetails: near?.byDistance === true,
      }),
    )
  let found = await candidates('all')
  if (found.hits.length === 0 && opts.q !== '') found = await candidates('last')
  const hits = near
    ? withinRadius(found.hits, near.center, near.radiusM, {
        byDistance: near.byDistance,
        rankingRules: LISTING_SETTINGS.rankingRules ?? [],
      })
    : found.hits
  if (!opts.start || !opts.end) return hits as Candidate[]
  const ok = await filterBookable(
    deps,
    hits.map((h) => h.id),
    opts.start,
    opts.end,
  )
  return hits.filter((h) => ok.has(h.id)) as Candidate[]
}

/** The ids of {@link availableHits}. */
export async function availableIds(deps: SearchDeps, opts: Parameters<typeof availableHits>[1]): Promise<string[]> {
  return (await availableHits(deps, opts)).map((h) => h.id)
}

/** Of `ids`, the listings bookable for [start, end) per their opening hours, rules and busy ranges. */
export async function filterBookable(deps: SearchDeps, ids: string[], start: Date, end: Date): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const [listings, busy] = await Promise.all([
    deps.db
      .selectFrom('listings')
      .select(['id', 'snapshot'])
      .where('id', 'in', ids)
      .where('published', '=', true)
      .execute(),
    // Widened by a day: a listing's own buffer (at most 4 h) extends the window before comparing.
    deps.db
      .selectFrom('bookings')
      .select(['listingId', sql<Date>`lower(busy)`.as('busyStart'), sql<Date>`upper(busy)`.as('busyEnd')])
      .where('listingId', 'in', ids)
      .where('holdsSlot', '=', true)
      .where(
        sql<boolean>`busy && tstzrange(${new Date(start.getTime() - 86_400_000)}, ${new Date(end.getTime() + 86_400_000)})`,
      )
      .execute(),
  ])
  const busyBy = new Map<string, Interval[]>()
  for (const b of busy) {
    const list = busyBy.get(b.listingId) ?? []
    list.push({ start: b.busyStart, end: b.busyEnd })
    busyBy.set(b.listingId, list)
  }
  const now = deps.clock.now()
  const ok = new Set<string>()
  for (const row of listings) {
    const listing = row.snapshot as unknown as Listing
    const bookable = bookableInWindow({
      availability: listing.availability as Availability,
      rules: listing.rules as BookingRules,
      busy: busyBy.get(row.id) ?? [],
      start,
      end,
      now,
    })
    if (bookable) ok.add(row.id)
  }
  return ok
}

/**
 * `GET /v1/suggest`: listing titles that complete what the user typed, and tags containing it (from the
 * tag facet of listings whose tags match, most used first).
 */
export async function suggest(deps: SearchDeps, typed: string, limit: number) {
  const indexUid = deps.meili.listingsIndex
  const q = normalizeScript(typed)
  const { results } = await guardSearch(() =>
    deps.meili.search.multiSearch<MultiSearchParams, IndexedHit>({
      queries: [
        {
          indexUid,
          ...preparedParams(q),
          limit,
          // Pinyin too: `huiy` completes to 会议室 as the user types with a pinyin keyboard.
          attributesToSearchOn: ['title', 'tags', 'pinyin'],
          attributesToRetrieve: ['id', 'kind', 'title'],
          attributesToHighlight: ['title'],
          highlightPreTag: PRE,
          highlightPostTag: POST,
        },
        { indexUid, ...preparedParams(q), limit: 0, attributesToSearchOn: ['tags'], facets: ['tags'] },
      ],
    }),
  )
  const [titles, tags] = [results[0]!, results[1]!]
  const needle = q.toLowerCase()
  return {
    listings: titles.hits.map((h) => ({
      id: h.id,
      kind: h.kind,
      title: h.title,
      highlightedTitle: markup(typeof h._formatted?.title === 'string' ? h._formatted.title : h.title),
    })),
    tags: Object.entries(tags.facetDistribution?.tags ?? {})
      .filter(([value]) => value.toLowerCase().includes(needle))
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([value, count]) => ({ value, count })),
  }
}

/**
 * Where to go when nothing matched: the most used listings of the city asked for (nearest first when the
 * query has a point; the whole marketplace when it names no city) and their commonest tags as searches.
 */
async function whereElse(deps: SearchDeps, query: SearchQuery): Promise<Pick<SearchResult, 'popular' | 'suggestions'>> {
  const filter: string[] = []
  if (query.city?.length) filter.push(anyOf('city', query.city))
  const near = query.near
  const res = await guardSearch(() =>
    deps.meili.search.index(deps.meili.listingsIndex).search<IndexedHit>('', {
      filter,
      sort: ['popularity:desc', 'ratingAverage:desc'],
      // With a point, the nearest of the most used (the index has no geo sort; see geo.ts).
      limit: near ? POPULAR_NEAR_POOL : POPULAR,
      facets: ['tags'],
      ...HIGHLIGHT,
    }),
  )
  if (near) {
    const at = (h: IndexedHit) =>
      h.lat === undefined || h.lng === undefined
        ? Number.POSITIVE_INFINITY
        : distanceMeters(near, { lat: h.lat, lng: h.lng })
    res.hits = res.hits
      .map((hit) => ({ hit, d: at(hit) }))
      .sort((a, b) => a.d - b.d)
      .slice(0, POPULAR)
      .map((x) => x.hit)
  }
  const suggestions = Object.entries(res.facetDistribution?.tags ?? {})
    .sort((a, b) => b[1] - a[1])
    .slice(0, POPULAR)
    .map(([tag]) => tag)
  return { popular: res.hits.map((h) => toHit(h, query.near)), suggestions }
}
