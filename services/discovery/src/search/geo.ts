import { num } from './filters.ts'

/*
 * Geo search without Meilisearch's `_geo`. Declaring `_geo` filterable or sortable makes Meilisearch 1.21
 * rebuild its geo tree on every indexing batch (about 2 s at 100k listings), which alone kept
 * publish-to-searchable above a second. Listings carry plain `lat` and `lng` numbers instead: the index
 * narrows a "near" search to the bounding box of its circle with four numeric filters, and discovery keeps
 * the candidates inside the circle and orders them by distance, by the same rules Meilisearch applied.
 */

/** The sphere Meilisearch measures `_geoRadius` and `_geoPoint` on (haversine, mean Earth radius). */
export const EARTH_RADIUS_M = 6_371_000

export interface Point {
  lat: number
  lng: number
}

const RAD = Math.PI / 180

/** Great-circle distance in metres (haversine), as Meilisearch computes it for `_geoRadius`. */
export function distanceMeters(a: Point, b: Point): number {
  const dLat = (b.lat - a.lat) * RAD
  const dLng = (b.lng - a.lng) * RAD
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLng / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}

// Widens the box by a hair so that rounding in its corners can never cut off a point the circle holds.
const MARGIN = 1 + 1e-6

/**
 * Filter conditions (AND-ed) for the box around the circle of `radiusM` metres about `center`: every
 * point of the circle lies inside it. The longitude span is that of the circle's widest parallel; a circle
 * reaching a pole or the antimeridian takes every longitude, which is wider than needed but never misses.
 */
export function boxFilters(center: Point, radiusM: number): string[] {
  const angle = (radiusM / EARTH_RADIUS_M) * MARGIN
  const dLat = angle / RAD
  const minLat = center.lat - dLat
  const maxLat = center.lat + dLat
  const filters = [`lat >= ${num(minLat)}`, `lat <= ${num(maxLat)}`]
  const sinRatio = Math.sin(angle) / Math.cos(center.lat * RAD)
  if (minLat > -90 && maxLat < 90 && sinRatio < 1) {
    const dLng = Math.asin(sinRatio) / RAD
    if (center.lng - dLng > -180 && center.lng + dLng < 180) {
      filters.push(`lng >= ${num(center.lng - dLng)}`, `lng <= ${num(center.lng + dLng)}`)
    }
  }
  return filters
}

/** A candidate as the geo search asks for it: its place and, to order by distance, its ranking details. */
export interface GeoCandidate {
  id: string
  lat?: number
  lng?: number
  _rankingScoreDetails?: Record<string, { score?: number; value?: unknown } | undefined>
}

/**
 * The candidates within `radiusM` of `center`, in Meilisearch's order, or, with `byDistance`, in the order a
 * `_geoPoint(center):asc` sort gave: the index's ranking rules in turn, the distance in place of the
 * `sort` rule. The candidates must come from a search without a sort, with `showRankingScoreDetails`.
 */
export function withinRadius(
  candidates: GeoCandidate[],
  center: Point,
  radiusM: number,
  order: { byDistance: boolean; rankingRules: readonly string[] },
): GeoCandidate[] {
  const kept: Array<{ hit: GeoCandidate; distance: number; at: number }> = []
  for (const hit of candidates) {
    if (hit.lat === undefined || hit.lng === undefined) continue
    const distance = distanceMeters(center, { lat: hit.lat, lng: hit.lng })
    if (distance <= radiusM) kept.push({ hit, distance, at: kept.length })
  }
  if (order.byDistance) {
    const rules = order.rankingRules
    kept.sort((a, b) => {
      for (const rule of rules) {
        if (rule === 'sort') {
          if (a.distance !== b.distance) return a.distance - b.distance
          continue
        }
        const x = a.hit._rankingScoreDetails?.[rule]
        const y = b.hit._rankingScoreDetails?.[rule]
        const custom = /^(.+):(asc|desc)$/.exec(rule)
        const dx = custom ? x?.value : x?.score
        const dy = custom ? y?.value : y?.score
        if (typeof dx !== 'number' || typeof dy !== 'number' || dx === dy) continue
        // Text rules score higher for better matches; a custom rule names its direction.
        return custom?.[2] === 'asc' ? dx - dy : dy - dx
      }
      return a.at - b.at
    })
  }
  return kept.map((k) => k.hit)
}
