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

/** A candidate with its distance and its place in Meilisearch's order (the last tie-breaker). */
export interface Placed {
  hit: GeoCandidate
  distance: number
  at: number
}

/** How `rule` orders two candidates by their ranking details: negative if `a` comes first, 0 if tied. */
function ruleOrder(rule: string, a: Placed, b: Placed): number {
  if (rule === 'sort') return a.distance - b.distance
  const x = a.hit._rankingScoreDetails?.[rule]
  const y = b.hit._rankingScoreDetails?.[rule]
  const custom = /^(.+):(asc|desc)$/.exec(rule)
  const dx = custom ? x?.value : x?.score
  const dy = custom ? y?.value : y?.score
  if (typeof dx !== 'number' || typeof dy !== 'number' || dx === dy) return 0
  // Text rules score higher for better matches; a custom rule names its direction.
  return custom?.[2] === 'asc' ? dx - dy : dy - dx
}

/** The order a `_geoPoint(center):asc` sort gave: the ranking rules in turn, the distance as the `sort` rule. */
export function byDistanceOrder(rankingRules: readonly string[]): (a: Placed, b: Placed) => number {
  return (a, b) => {
    for (const rule of rankingRules) {
      const order = ruleOrder(rule, a, b)
      if (order !== 0) return order
    }
    return a.at - b.at
  }
}

/**
 * The order of the rules before `sort` alone: the groups within which a `_geoPoint` sort ordered by
 * distance. Meilisearch's own order keeps each group together, better groups first.
 */
export function groupOrder(rankingRules: readonly string[]): (a: Placed, b: Placed) => number {
  const before = rankingRules.slice(0, Math.max(0, rankingRules.indexOf('sort')))
  return (a, b) => {
    for (const rule of before) {
      const order = ruleOrder(rule, a, b)
      if (order !== 0) return order
    }
    return 0
  }
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
  const kept: Placed[] = []
  for (const hit of candidates) {
    if (hit.lat === undefined || hit.lng === undefined) continue
    const distance = distanceMeters(center, { lat: hit.lat, lng: hit.lng })
    if (distance <= radiusM) kept.push({ hit, distance, at: kept.length })
  }
  if (order.byDistance) kept.sort(byDistanceOrder(order.rankingRules))
  return kept.map((k) => k.hit)
}

/** A latitude/longitude rectangle, bounds included. */
export interface Box {
  minLat: number
  maxLat: number
  minLng: number
  maxLng: number
}

// Filter literals are rounded to a micro-degree (about 0.1 m): long numbers make long filters, which
// Meilisearch parses on every search. Inner boxes round inwards and outer ones outwards, so rounding never
// moves a point across the circle.
const MICRO = 1e6
const down = (x: number) => Math.floor(x * MICRO) / MICRO
const up = (x: number) => Math.ceil(x * MICRO) / MICRO
// Inner boxes stay this fraction of the radius inside the circle, far above the haversine's rounding.
const INSIDE = 1 - 1e-6

/**
 * Half the longitude span, in degrees, of the points of the parallel at `lat` that lie within `angle`
 * radians of `center`; undefined where the parallel misses the circle or would wrap around the globe.
 */
function halfWidthAt(center: Point, angle: number, lat: number): number | undefined {
  const s = Math.sin(angle / 2) ** 2 - Math.sin(((lat - center.lat) * RAD) / 2) ** 2
  if (s < 0) return undefined
  const x = Math.sqrt(s / (Math.cos(center.lat * RAD) * Math.cos(lat * RAD)))
  return x < 1 ? (2 * Math.asin(x)) / RAD : undefined
}

/**
 * The circle of `radiusM` metres about `center` as `n` horizontal strips: `outer` boxes that together cover
 * every point of the circle, and `inner` boxes that lie wholly inside it (fewer where a strip's narrow end
 * leaves no room). The outer cover minus the inner boxes is a thin band along the circle's edge, about
 * 2/n of its area: all that a "near" search must still check point by point. Undefined for a circle that
 * reaches a pole or the antimeridian, which the bounding box alone handles (see boxFilters).
 */
export function circleStrips(center: Point, radiusM: number, n: number): { inner: Box[]; outer: Box[] } | undefined {
  const angle = radiusM / EARTH_RADIUS_M
  const dLat = angle / RAD
  const widest = Math.sin(angle * MARGIN) / Math.cos(center.lat * RAD)
  if (center.lat - dLat * MARGIN <= -90 || center.lat + dLat * MARGIN >= 90 || widest >= 1) return undefined
  const maxHalf = (Math.asin(widest) / RAD) * MARGIN
  if (center.lng - maxHalf <= -180 || center.lng + maxHalf >= 180) return undefined
  // The parallel where the circle is widest (a little poleward of its centre on a sphere).
  const widestLat = Math.asin(Math.min(1, Math.sin(center.lat * RAD) / Math.cos(angle))) / RAD
  const inner: Box[] = []
  const outer: Box[] = []
  const south = center.lat - dLat * MARGIN
  const step = (2 * dLat * MARGIN) / n
  for (let i = 0; i < n; i++) {
    const a = south + i * step
    const b = i === n - 1 ? center.lat + dLat * MARGIN : south + (i + 1) * step
    // Outer: the strip's widest point, at the circle's widest parallel if the strip holds it, else at the
    // strip's end nearer to it (the width falls away from there on both sides).
    const at = widestLat >= a && widestLat <= b ? widestLat : widestLat < a ? a : b
    const wide = widestLat >= a && widestLat <= b ? maxHalf : (halfWidthAt(center, angle * MARGIN, at) ?? 0) * MARGIN
    outer.push({ minLat: down(a), maxLat: up(b), minLng: down(center.lng - wide), maxLng: up(center.lng + wide) })
    // Inner: the strip's narrowest point, at one of its ends, on the latitudes the filter will compare.
    const [lo, hi] = [up(a), down(b)]
    if (lo > hi) continue
    const wa = halfWidthAt(center, angle * INSIDE, lo)
    const wb = halfWidthAt(center, angle * INSIDE, hi)
    if (wa === undefined || wb === undefined) continue
    const narrow = Math.min(wa, wb)
    const [minLng, maxLng] = [up(center.lng - narrow), down(center.lng + narrow)]
    if (minLng < maxLng) inner.push({ minLat: lo, maxLat: hi, minLng, maxLng })
  }
  return { inner, outer }
}
