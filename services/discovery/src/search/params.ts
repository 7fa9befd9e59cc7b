import type { SearchParams } from 'meilisearch'
import type { DiscoveryDeps } from '../deps.ts'
import { CJK } from './chinese.ts'
import type { GeoCandidate } from './geo.ts'
import { LISTING_SETTINGS } from './meili.ts'
import { prepareQuery } from './query.ts'

/** What search, matches and recommendations read: the service's deps. */
export type SearchDeps = DiscoveryDeps

export const FACETS = ['kind', 'district', 'city', 'tags', 'amenities', 'pricingModel', 'organizationVerified']

/** The listings index's `maxValuesPerFacet`, which facets counted in discovery follow too. */
export const LISTING_FACETS_MAX = LISTING_SETTINGS.faceting?.maxValuesPerFacet ?? 100

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

export type Strategy = 'all' | 'last'

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

export const totalOf = (res: object) => (res as { totalHits?: number }).totalHits ?? 0

/** What {@link availableHits} returns of a candidate: its id, place and the attributes asked for. */
export type Candidate = GeoCandidate & Record<string, unknown>
