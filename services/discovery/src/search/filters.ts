import type { SearchQuery } from '@commons/contracts'
import { type Box, boxFilters } from './geo.ts'

/*
 * Meilisearch filter expressions are built here and only here. Every value is either a number produced by
 * zod (finite, so `String(n)` is a plain numeric literal) or a string quoted by `quote`, which escapes the
 * two characters that could end a quoted value. No user text ever reaches the expression unquoted.
 */

/** A double-quoted filter string literal. */
export function quote(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
}

/** A finite number as a filter literal. */
export function num(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`)
  return String(value)
}

/** `field IN ["a", "b"]`. */
export function anyOf(field: string, values: readonly string[]): string {
  return `${field} IN [${values.map(quote).join(', ')}]`
}

/** `field NOT IN ["a", "b"]`. */
export function noneOf(field: string, values: readonly string[]): string {
  return `${field} NOT IN [${values.map(quote).join(', ')}]`
}

/** `field = "a" AND field = "b"` as separate conditions (for array fields: every value present). */
export function allOf(field: string, values: readonly string[]): string[] {
  return values.map((v) => `${field} = ${quote(v)}`)
}

/** One condition: the point (`lat`, `lng`) lies in one of `boxes` (bounds included); never true if none. */
export function inAnyBox(boxes: readonly Box[]): string {
  if (boxes.length === 0) return 'lat < -90'
  const one = (b: Box) => `(lat ${num(b.minLat)} TO ${num(b.maxLat)} AND lng ${num(b.minLng)} TO ${num(b.maxLng)})`
  return `(${boxes.map(one).join(' OR ')})`
}

export const DEFAULT_RADIUS_KM = 5

/** The radius of a "near" search in whole metres, as `_geoRadius` took it. */
export const radiusMetersOf = (query: Pick<SearchQuery, 'radiusKm'>) =>
  Math.round((query.radiusKm ?? DEFAULT_RADIUS_KM) * 1000)

/** The filter conditions (AND-ed) of a search query, apart from the availability window. */
export function searchFilters(query: SearchQuery): string[] {
  const filters: string[] = []
  if (query.kind?.length) filters.push(anyOf('kind', query.kind))
  if (query.district?.length) filters.push(anyOf('district', query.district))
  if (query.city?.length) filters.push(anyOf('city', query.city))
  if (query.tags?.length) filters.push(...allOf('tags', query.tags))
  if (query.amenities?.length) filters.push(...allOf('amenities', query.amenities))
  if (query.capacityMin !== undefined) filters.push(`capacity >= ${num(query.capacityMin)}`)
  if (query.free !== undefined) filters.push(`pricingModel = ${quote(query.free ? 'free' : 'fee')}`)
  if (query.priceMax !== undefined) filters.push(`price <= ${num(query.priceMax)}`)
  if (query.organizationId) filters.push(`organizationId = ${quote(query.organizationId)}`)
  if (query.verified !== undefined) filters.push(`organizationVerified = ${query.verified ? 'true' : 'false'}`)
  // The circle's bounding box; discovery keeps the candidates inside the circle (see geo.ts).
  if (query.near) filters.push(...boxFilters(query.near, radiusMetersOf(query)))
  return filters
}

/**
 * Conditions a listing must meet to be bookable for [start, end) that the index can check exactly (booking
 * rules); opening hours and busy ranges are checked afterwards against Postgres.
 */
export function windowFilters(start: Date, end: Date, now: Date): string[] {
  const minutes = (end.getTime() - start.getTime()) / 60_000
  const hoursAhead = (start.getTime() - now.getTime()) / 3_600_000
  return [
    `minDurationMinutes <= ${num(minutes)}`,
    `maxDurationMinutes >= ${num(minutes)}`,
    `minNoticeHours <= ${num(Math.floor(hoursAhead))}`,
    `maxAdvanceDays >= ${num(Math.floor(hoursAhead / 24))}`,
  ]
}

export function sortOf(query: Pick<SearchQuery, 'sort' | 'near'>): string[] | undefined {
  switch (query.sort) {
    case 'rating':
      return ['ratingAverage:desc', 'ratingCount:desc']
    case 'distance':
      // Ordered by discovery over the candidates inside the circle (geo.ts): the index has no geo sort.
      return undefined
    case 'price_asc':
      return ['price:asc']
    case 'price_desc':
      return ['price:desc']
    case 'newest':
      return ['publishedAt:desc']
    default:
      return undefined
  }
}
