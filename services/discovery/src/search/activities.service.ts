import type { ActivityHit, ActivitySearchQuery, ActivitySearchResult } from '@commons/contracts'
import type { SearchParams, SearchResponse } from 'meilisearch'
import type { ActivityDocument } from '../indexing/documents.ts'
import { anyOf, num, quote } from './filters.ts'
import { markup, POST, PRE } from './hits.ts'
import { guardSearch } from './meili.ts'
import { prepareQuery } from './query.ts'
import { preparedParams, type SearchDeps } from './search.service.ts'

const HOUR = 3_600_000
/** Asia/Shanghai keeps UTC+8 all year (no daylight saving), so a week's bounds are plain arithmetic. */
const SHANGHAI_OFFSET_MS = 8 * HOUR

/** The end of the week (next Monday 00:00, Asia/Shanghai) that `now` falls in. */
export function endOfWeek(now: Date): Date {
  const local = new Date(now.getTime() + SHANGHAI_OFFSET_MS)
  const daysSinceMonday = (local.getUTCDay() + 6) % 7
  const monday = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - daysSinceMonday)
  return new Date(monday + 7 * 24 * HOUR - SHANGHAI_OFFSET_MS)
}

/** The filter conditions (AND-ed) of an activities search; ended activities never match. */
export function activityFilters(query: ActivitySearchQuery, now: Date): string[] {
  const seconds = (d: Date) => num(Math.floor(d.getTime() / 1000))
  const from = query.from ? new Date(query.from) : now
  const to = query.thisWeek ? endOfWeek(now) : query.to ? new Date(query.to) : undefined
  const filters = [`end > ${seconds(from)}`]
  if (to) filters.push(`start < ${seconds(to)}`)
  if (query.city?.length) filters.push(anyOf('city', query.city))
  if (query.district?.length) filters.push(anyOf('district', query.district))
  if (query.targetGroup?.length) filters.push(anyOf('targetGroups', query.targetGroup))
  if (query.category?.length) filters.push(anyOf('category', query.category))
  if (query.hasVolunteerPlaces !== undefined) filters.push(`hasVolunteerPlaces = ${query.hasVolunteerPlaces}`)
  if (query.organizationId) filters.push(`organizationId = ${quote(query.organizationId)}`)
  return filters
}

const FACETS = ['district', 'city', 'targetGroups', 'category', 'hasVolunteerPlaces']

const ACTIVITY_HIGHLIGHT: Pick<
  SearchParams,
  'attributesToHighlight' | 'attributesToCrop' | 'cropLength' | 'highlightPreTag' | 'highlightPostTag'
> = {
  attributesToHighlight: ['title', 'description'],
  attributesToCrop: ['description'],
  cropLength: 24,
  highlightPreTag: PRE,
  highlightPostTag: POST,
}

type IndexedActivity = ActivityDocument & { _formatted?: Partial<Record<keyof ActivityDocument, unknown>> }

/** An activity hit as the API returns it. */
export function toActivityHit(doc: IndexedActivity): ActivityHit {
  const formatted = doc._formatted ?? {}
  const plain = doc.title.replaceAll(PRE, '').replaceAll(POST, '')
  const title = plain === doc.title && typeof formatted.title === 'string' ? formatted.title : plain
  return {
    id: doc.id,
    title: doc.title,
    highlightedTitle: markup(title),
    snippet: markup(typeof formatted.description === 'string' ? formatted.description : ''),
    category: doc.category,
    targetGroups: doc.targetGroups,
    organization: { id: doc.organizationId, name: doc.organizationName, badge: doc.organizationBadge },
    city: doc.city,
    district: doc.district,
    placeTitle: doc.placeTitle,
    start: doc.startIso,
    end: doc.endIso,
    signUpDeadline: doc.signUpDeadline,
    capacity: doc.capacity,
    volunteerPlaces: doc.volunteerPlaces,
    volunteerSkills: doc.volunteerSkills,
  }
}

const totalOf = (res: SearchResponse<IndexedActivity>) => (res as { totalHits?: number }).totalHits ?? 0

/**
 * `GET /v1/search/activities`: published activities that have not ended, with the listings' Chinese query
 * handling (script folding, rewrites, homophone fixes, synonyms, pinyin). Soonest first unless asked for
 * relevance; badge holders first among equally relevant ones either way (the index's `lift` rule).
 */
export async function searchActivities(deps: SearchDeps, query: ActivitySearchQuery): Promise<ActivitySearchResult> {
  const started = performance.now()
  const { page, perPage } = query
  const filter = activityFilters(query, deps.clock.now())
  const text = prepareQuery(query.q).text
  const sort = query.sort === 'soonest' ? ['start:asc'] : undefined
  const index = deps.meili.search.index(deps.meili.activitiesIndex)
  const run = (strategy: 'all' | 'last') =>
    guardSearch(() =>
      index.search<IndexedActivity>(text, {
        ...preparedParams(text, strategy),
        filter,
        sort,
        page,
        hitsPerPage: perPage,
        facets: FACETS,
        ...ACTIVITY_HIGHLIGHT,
      }),
    )
  let res = await run('all')
  // As for listings: only when nothing has every word are words dropped from the end.
  if (totalOf(res) === 0 && text !== '') res = await run('last')
  return {
    hits: res.hits.map(toActivityHit),
    facets: res.facetDistribution ?? {},
    total: totalOf(res),
    page,
    perPage,
    processingTimeMs: Math.round((performance.now() - started) * 10) / 10,
  }
}
