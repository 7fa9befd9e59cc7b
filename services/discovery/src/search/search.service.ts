import type { Availability, BookingRules, Listing, SearchQuery, SearchResult } from '@commons/contracts'
import { sql } from 'kysely'
import type { MultiSearchParams, SearchParams, SearchResponse } from 'meilisearch'
import { bookableInWindow, type Interval } from '../availability/window.ts'
import type { DiscoveryDeps } from '../deps.ts'
import { CJK, normalizeScript } from './chinese.ts'
import { facetDistribution } from './facets.ts'
import { anyOf, inAnyBox, radiusMetersOf, searchFilters, sortOf, windowFilters } from './filters.ts'
import {
  byDistanceOrder,
  circleStrips,
  distanceMeters,
  type GeoCandidate,
  groupOrder,
  type Placed,
  type Point,
  withinRadius,
} from './geo.ts'
import { HIGHLIGHT, type IndexedHit, markup, POST, PRE, toHit } from './hits.ts'
import { guardSearch, LISTING_SETTINGS } from './meili.ts'
import { prepareQuery } from './query.ts'

/** What search, matches and recommendations read: the service's deps. */
export type SearchDeps = DiscoveryDeps

export const FACETS = ['kind', 'district', 'city', 'tags', 'amenities', 'pricingModel', 'organizationVerified']

/** The listings index's `maxValuesPerFacet`, which facets counted in discovery follow too. */
const LISTING_FACETS_MAX = LISTING_SETTINGS.faceting?.maxValuesPerFacet ?? 100

/**
 * How many best matches an availability search checks. Opening hours and busy ranges live in Postgres, so
 * the window is checked on the candidates and totals and pages are counted over the ones that pass; like
 * Meilisearch's own `maxTotalHits`, a query matching more than this counts only the best ones.
 */
export const WINDOW_CANDIDATES = 1000

/**
 * How many matches inside a "near" search's bounding box are checked against its circle: Meilisearch's own
 * `maxTotalHits`, which also capped what `_geoRadius` counted. A box holding more counts the best of them.
 */
export const GEO_CANDIDATES = 5000

/** Below this many hits, a query with a homophone typo fixed shows the fixed query's hits instead. */
const FEW_HITS = 3
/** Listings shown, and searches suggested, when nothing matched. */
const POPULAR = 6
/** Of how many of the most used listings the nearest are shown when nothing matched near a point. */
const POPULAR_NEAR_POOL = 200

type Strategy = 'all' | 'last'

/**
 * Search parameters shared by every query of one request, for text that is already prepared. Every word
 * must match: Meilisearch's default drops words from the end until something matches, so 會議室 came back
 * as everything with 会 in it. Only when nothing has every word does the default apply (searchListings).
 */
export function preparedParams(
  text: string,
  matchingStrategy: Strategy = 'all',
): Pick<SearchParams, 'q' | 'locales' | 'matchingStrategy'> {
  return CJK.test(text) ? { q: text, locales: ['cmn'], matchingStrategy } : { q: text, matchingStrategy }
}

/** {@link preparedParams} of what a user typed (normalised, rewritten; see query.ts). */
export function baseParams(q: string): Pick<SearchParams, 'q' | 'locales' | 'matchingStrategy'> {
  return preparedParams(prepareQuery(q).text)
}

const totalOf = (res: object) => (res as { totalHits?: number }).totalHits ?? 0

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
 * Strips a "near" search's circle is cut into (geo.ts circleStrips): the band left to fetch is about 2.5/n
 * of the circle, while each strip adds ranges Meilisearch evaluates per search. 16 was the quickest of 8 to
 * 64 for the benchmark's near query (100k listings, 449 matches in the circle).
 */
const NEAR_STRIPS = 16
/** How many times the members a page wants a disc is sized to hold, so that it rarely has to grow. */
const DISC_MARGIN = 2

/** A page of matches within a circle: its ids in order, and the count and facets of every match. */
interface NearPage {
  pageIds: string[]
  /** Hits with their display fields and highlights, when the searches that ordered them brought them. */
  shown?: IndexedHit[]
  total: number
  facets: Record<string, Record<string, number>>
}

/**
 * The page, total and facets {@link availableHits} gives a "near" search without a window or a sort
 * other than the distance, without fetching every match of the circle: Meilisearch spends per document it
 * ranks and returns, and a circle may hold thousands.
 *
 * - Count and facets: the circle is cut into strips (geo.ts): one count-only search over the boxes wholly
 *   inside it gives most of the total and the facets; the band between them and the boxes covering it, a
 *   few per cent of the circle, is fetched and checked point by point.
 * - Order: Meilisearch's relevance order without a sort, restricted to the circle, is the order of the
 *   box's matches kept by distance, so its head gives a page in relevance order. By distance, a page needs
 *   the groups of the rules before `sort` up to the one holding its last hit (all in that head), and only
 *   the nearest members of that group: those within a disc about the centre that holds enough of them,
 *   since every member outside it is farther than all inside.
 *
 * Undefined when the shortcut would not answer as the general path does: a box holding
 * `GEO_CANDIDATES` matches or more, inner facets cut at `maxValuesPerFacet`, a circle the strips cannot
 * describe.
 */
async function nearPage(
  deps: SearchDeps,
  opts: {
    q: string
    filter: string[]
    center: Point
    radiusM: number
    byDistance: boolean
    page: number
    perPage: number
  },
): Promise<NearPage | undefined> {
  const { q, filter, center, radiusM, byDistance, perPage } = opts
  const strips = circleStrips(center, radiusM, NEAR_STRIPS)
  if (!strips) return undefined
  const index = deps.meili.listingsIndex
  const rules = LISTING_SETTINGS.rankingRules ?? []
  const need = opts.page * perPage
  const inner = inAnyBox(strips.inner)
  const place = (hit: GeoCandidate, at: number): Placed => ({
    hit,
    at,
    distance:
      hit.lat === undefined || hit.lng === undefined
        ? Number.POSITIVE_INFINITY
        : distanceMeters(center, { lat: hit.lat, lng: hit.lng }),
  })
  // Where a search's hits may make the page, they come with what the page shows: under load every round
  // trip waits its turn in Meilisearch's queue, which costs more than highlighting a few more hits.
  const ranked = (strategy: Strategy, within: string[], count: number, shown = false) => ({
    ...preparedParams(q, strategy),
    filter: [...filter, ...within],
    page: 1,
    hitsPerPage: count,
    ...(shown ? HIGHLIGHT : {}),
    attributesToRetrieve: shown ? HIGHLIGHT.attributesToRetrieve : ['id', 'lat', 'lng'],
    showRankingScoreDetails: byDistance,
  })
  const shown = (list: readonly GeoCandidate[]) => list as unknown as IndexedHit[]
  const search = (params: SearchParams) =>
    guardSearch(() => deps.meili.search.index(index).search<Candidate>(q, params))

  for (const strategy of ['all', 'last'] as const) {
    const { results } = await guardSearch(() =>
      deps.meili.search.multiSearch<MultiSearchParams, Candidate>({
        queries: [
          // The box's matches: their count, and the head of their relevance order.
          { indexUid: index, ...ranked(strategy, [], Math.ceil(need * 1.3) + 8, !byDistance) },
          {
            indexUid: index,
            ...preparedParams(q, strategy),
            filter: [...filter, inner],
            hitsPerPage: 0,
            facets: FACETS,
          },
          {
            indexUid: index,
            ...preparedParams(q, strategy),
            filter: [...filter, inAnyBox(strips.outer), `NOT ${inner}`],
            limit: GEO_CANDIDATES,
            attributesToRetrieve: ['id', 'lat', 'lng', ...FACETS],
          },
        ],
      }),
    )
    const [headRes, innerRes, bandRes] = results as SearchResponse<Candidate>[]
    const boxTotal = totalOf(headRes!)
    if (boxTotal === 0 && strategy === 'all' && q !== '') continue
    if (boxTotal === 0) return { pageIds: [], total: 0, facets: {} }
    if (boxTotal >= GEO_CANDIDATES) return undefined
    const innerFacets = innerRes!.facetDistribution ?? {}
    if (Object.values(innerFacets).some((values) => Object.keys(values).length >= LISTING_FACETS_MAX)) return undefined
    const band = bandRes!.hits.filter((hit) => place(hit, 0).distance <= radiusM)
    const total = totalOf(innerRes!) + band.length
    if (total === 0) return { pageIds: [], total: 0, facets: {} }
    const facets = facetDistribution(band, FACETS, LISTING_FACETS_MAX, innerFacets)

    let head = headRes!.hits
    let kept = head.map(place).filter((p) => p.distance <= radiusM)
    if (kept.length < Math.min(need, total) && head.length < boxTotal) {
      // The box's matches outside the circle are all that can come between the circle's.
      head = (await search(ranked(strategy, [], need + boxTotal - total, !byDistance))).hits
      kept = head.map(place).filter((p) => p.distance <= radiusM)
    }
    kept = kept.map((p, at) => ({ ...p, at }))
    const slice = (list: Placed[]) => list.slice((opts.page - 1) * perPage, need).map((p) => p.hit.id)
    if (!byDistance) return { pageIds: slice(kept), shown: shown(head), total, facets }
    const order = byDistanceOrder(rules)
    if (kept.length >= total) return { pageIds: slice(kept.sort(order)), total, facets }

    // kept holds `need` hits or more: groups before the last one's are whole in it.
    const last = kept[need - 1]!
    const group = groupOrder(rules)
    const prior = kept.filter((p) => group(p, last) < 0)
    const wanted = need - prior.length
    // A disc expected to hold DISC_MARGIN times the members wanted, were the group and those after it all.
    let r = radiusM * Math.sqrt(Math.min(1, (DISC_MARGIN * wanted) / Math.max(1, total - prior.length)))
    for (;;) {
      if (r >= radiusM * 0.9) {
        // Nearly the whole circle: every box match, as the general path fetches them.
        const all = (await search(ranked(strategy, [], boxTotal))).hits.map(place).filter((p) => p.distance <= radiusM)
        return { pageIds: slice(all.map((p, at) => ({ ...p, at })).sort(order)), total, facets }
      }
      const disc = circleStrips(center, r, NEAR_STRIPS)
      if (!disc) return undefined
      const discHits = (await search(ranked(strategy, [inAnyBox(disc.outer)], GEO_CANDIDATES, true))).hits
      const inDisc = discHits.map(place).filter((p) => p.distance <= r)
      const members = inDisc.filter((p) => group(p, last) === 0)
      if (members.length >= wanted) {
        const nearest = members.sort(order).slice(0, wanted)
        return { pageIds: slice([...prior, ...nearest].sort(order)), shown: shown(discHits), total, facets }
      }
      // Grow the disc by the share of the group seen in this one, at least by half.
      const share = members.length / Math.max(1, inDisc.length)
      const grown = share > 0 ? r * Math.sqrt((DISC_MARGIN * wanted) / Math.max(1, share * inDisc.length)) : r * 2
      r = Math.max(r * 1.5, grown)
    }
  }
  return { pageIds: [], total: 0, facets: {} }
}

/** What {@link availableHits} returns of a candidate: its id, place and the attributes asked for. */
export type Candidate = GeoCandidate & Record<string, unknown>

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
