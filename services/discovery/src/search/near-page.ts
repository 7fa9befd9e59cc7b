import type { MultiSearchParams, SearchParams, SearchResponse } from 'meilisearch'
import { facetDistribution } from './facets.ts'
import { inAnyBox } from './filters.ts'
import {
  byDistanceOrder,
  circleStrips,
  distanceMeters,
  type GeoCandidate,
  groupOrder,
  type Placed,
  type Point,
} from './geo.ts'
import { HIGHLIGHT, type IndexedHit } from './hits.ts'
import { guardSearch, LISTING_SETTINGS } from './meili.ts'
import {
  type Candidate,
  FACETS,
  GEO_CANDIDATES,
  LISTING_FACETS_MAX,
  preparedParams,
  type SearchDeps,
  type Strategy,
  totalOf,
} from './params.ts'

/**
 * Strips a "near" search's circle is cut into (geo.ts circleStrips): the band left to fetch is about 2.5/n
 * of the circle, while each strip adds ranges Meilisearch evaluates per search. 16 was the quickest of 8 to
 * 64 for the benchmark's near query (100k listings, 449 matches in the circle).
 */
const NEAR_STRIPS = 16
/** How many times the members a page wants a disc is sized to hold, so that it rarely has to grow. */
const DISC_MARGIN = 2

/** A page of matches within a circle: its ids in order, and the count and facets of every match. */
export interface NearPage {
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
export async function nearPage(
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
