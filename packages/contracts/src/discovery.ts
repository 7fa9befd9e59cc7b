import { z } from 'zod'
import { CityName, Id, Instant, PageQuery } from './common.ts'
import { ActivityCategory, TargetGroup } from './community.ts'
import { Amenity, ListingKind, Pricing } from './listings.ts'
import { Need } from './needs.ts'

/*
 * Discovery: search, suggestions, matches, recommendations and the search index's operations. Query
 * strings arrive as text; list-valued parameters take repeated keys (`tags=a&tags=b`) or commas (`tags=a,b`).
 */

/** A list parameter: repeated keys or a comma-separated value, each item validated by `item`. */
function listParam<T extends z.ZodType>(item: T, max = 20) {
  // Typed as taking strings: the items arrive as query-string text and the item schema validates them.
  const list = z.array(item).max(max) as unknown as z.ZodType<Array<z.output<T>>, string[]>
  return z
    .union([z.string(), z.array(z.string())])
    .transform((value) =>
      (Array.isArray(value) ? value : [value])
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter((v) => v !== ''),
    )
    .pipe(list)
}

const FreeText = z.string().trim().min(1).max(40)
const BoolParam = z.enum(['true', 'false']).transform((v) => v === 'true')

/** `lat,lng` in degrees. */
export const GeoPoint = z
  .string()
  .regex(/^-?\d{1,2}(\.\d+)?,-?\d{1,3}(\.\d+)?$/, 'use lat,lng in degrees, e.g. 31.23,121.47')
  .transform((value) => {
    const [lat, lng] = value.split(',').map(Number) as [number, number]
    return { lat, lng }
  })
  .refine((p) => Math.abs(p.lat) <= 90 && Math.abs(p.lng) <= 180, { message: 'latitude or longitude out of range' })

export const SearchSort = z
  .enum(['relevance', 'rating', 'distance', 'price_asc', 'price_desc', 'newest'])
  .meta({ id: 'SearchSort' })
export type SearchSort = z.infer<typeof SearchSort>

/** Query of `GET /v1/search`. */
export const SearchQuery = PageQuery.extend({
  q: z.string().trim().max(100).default(''),
  kind: listParam(ListingKind, 3).optional().describe('any of these kinds'),
  district: listParam(FreeText).optional().describe('any of these districts'),
  city: listParam(CityName).optional().describe('any of these cities'),
  tags: listParam(z.string().trim().min(1).max(20), 12)
    .optional()
    .describe('listings carrying every one of these tags'),
  amenities: listParam(Amenity, 16).optional().describe('venues offering every one of these amenities'),
  capacityMin: z.coerce.number().int().min(1).max(100_000).optional(),
  free: BoolParam.optional().describe('true: free listings only; false: paid ones only'),
  priceMax: z.coerce.number().int().min(0).optional().describe('highest price in fen (per hour or per booking)'),
  verified: BoolParam.optional().describe('true: listings of verified organizations only'),
  near: GeoPoint.optional().describe('lat,lng: only listings within radiusKm of this point'),
  radiusKm: z.coerce.number().min(0.1).max(100).optional().describe('default 5 when near is given'),
  from: Instant.optional().describe('with `to`: only listings bookable for the whole window'),
  to: Instant.optional(),
  sort: SearchSort.default('relevance'),
  organizationId: Id.optional().describe("only this organization's listings"),
}).superRefine((q, ctx) => {
  if ((q.from === undefined) !== (q.to === undefined)) {
    ctx.addIssue({ code: 'custom', path: [q.from ? 'to' : 'from'], message: 'from and to go together' })
  } else if (q.from && q.to) {
    const span = Date.parse(q.to) - Date.parse(q.from)
    if (span <= 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' })
    else if (span > 14 * 24 * 3600_000) ctx.addIssue({ code: 'custom', path: ['to'], message: 'window over 14 days' })
  }
  if (q.radiusKm !== undefined && !q.near) {
    ctx.addIssue({ code: 'custom', path: ['near'], message: 'radiusKm needs near' })
  }
  if (q.sort === 'distance' && !q.near) {
    ctx.addIssue({ code: 'custom', path: ['near'], message: 'sort=distance needs near' })
  }
})
export type SearchQuery = z.infer<typeof SearchQuery>

/** A listing's reputation as search shows it (from `reputation.updated`). */
export const ListingRating = z
  .object({ average: z.number().describe('0 until rated'), count: z.number().int() })
  .meta({ id: 'ListingRating' })

/** One search result. `title` and `snippet` are HTML-escaped with matches wrapped in `<mark>`. */
export const SearchHit = z
  .object({
    id: Id,
    kind: ListingKind,
    title: z.string().describe('plain title'),
    highlightedTitle: z.string().describe('HTML-escaped title, matches in <mark>'),
    snippet: z.string().describe('HTML-escaped excerpt of the description, matches in <mark>'),
    organization: z.object({
      id: Id,
      name: z.string(),
      verified: z.boolean(),
      badge: z
        .boolean()
        .optional()
        .describe('top-decile scorecard (评价优秀) and not marked 整改中: ranked ahead of equally relevant listings'),
    }),
    city: z.string(),
    district: z.string(),
    tags: z.array(z.string()),
    pricing: Pricing,
    capacity: z.number().int().nullable(),
    rating: ListingRating,
    distanceKm: z.number().optional().describe('when `near` is given'),
    location: z
      .object({ lat: z.number(), lng: z.number() })
      .optional()
      .describe('coordinates, when the listing publishes them'),
    coverPhoto: z.string().optional().describe("URL of the first photo's card variant, when the listing has photos"),
  })
  .meta({ id: 'SearchHit' })
export type SearchHit = z.infer<typeof SearchHit>

/** Facet name -> value -> count of matching listings. */
export const Facets = z.record(z.string(), z.record(z.string(), z.number().int())).meta({ id: 'Facets' })

export const SearchResult = z
  .object({
    hits: z.array(SearchHit),
    facets: Facets,
    total: z.number().int(),
    page: z.number().int(),
    perPage: z.number().int(),
    processingTimeMs: z.number(),
    didYouMean: z
      .string()
      .optional()
      .describe('the query with a typo fixed, when the hits are those of the fixed query (你是不是要找)'),
    suggestions: z
      .array(z.string())
      .optional()
      .describe('when nothing matched: searches that find something in the same city'),
    popular: z
      .array(SearchHit)
      .optional()
      .describe('when nothing matched: popular listings of the city (nearest first when `near` is given)'),
  })
  .meta({ id: 'SearchResult' })
export type SearchResult = z.infer<typeof SearchResult>

export const SuggestQuery = z.object({
  q: z.string().trim().min(1).max(50),
  limit: z.coerce.number().int().min(1).max(10).default(5),
})

export const Suggestions = z
  .object({
    listings: z.array(z.object({ id: Id, kind: ListingKind, title: z.string(), highlightedTitle: z.string() })),
    tags: z.array(z.object({ value: z.string(), count: z.number().int() })),
  })
  .meta({ id: 'Suggestions' })

export const ListingMatches = z
  .object({ need: Need, items: z.array(SearchHit) })
  .meta({ id: 'ListingMatches', description: 'Published listings that fit a need' })

export const NeedMatches = z
  .object({ listingId: Id, items: z.array(Need) })
  .meta({ id: 'NeedMatches', description: 'Open needs that fit a listing' })

/** Query of `GET /v1/search/activities`: published activities that have not ended, soonest first by default. */
export const ActivitySearchQuery = PageQuery.extend({
  q: z.string().trim().max(100).default(''),
  city: listParam(CityName).optional().describe("any of these cities (the host organization's city)"),
  district: listParam(FreeText).optional().describe('any of these districts'),
  targetGroup: listParam(TargetGroup, 7).optional().describe('activities for any of these groups'),
  category: listParam(ActivityCategory, 8).optional(),
  hasVolunteerPlaces: BoolParam.optional().describe('true: activities that take volunteers'),
  from: Instant.optional().describe('activities ending after this instant (default: now)'),
  to: Instant.optional().describe('activities starting before this instant'),
  thisWeek: BoolParam.optional().describe('true: from now to the end of this week (Monday to Sunday, Asia/Shanghai)'),
  organizationId: Id.optional(),
  sort: z.enum(['relevance', 'soonest']).default('soonest').describe('soonest: by start; relevance: text first'),
}).superRefine((q, ctx) => {
  if (q.from && q.to && Date.parse(q.to) <= Date.parse(q.from)) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' })
  }
  if (q.thisWeek && (q.from || q.to)) {
    ctx.addIssue({ code: 'custom', path: ['thisWeek'], message: 'thisWeek replaces from and to' })
  }
})
export type ActivitySearchQuery = z.infer<typeof ActivitySearchQuery>

/** One activity found. `title` and `snippet` are HTML-escaped with matches wrapped in `<mark>`. */
export const ActivityHit = z
  .object({
    id: Id,
    title: z.string(),
    highlightedTitle: z.string(),
    snippet: z.string(),
    category: ActivityCategory,
    targetGroups: z.array(TargetGroup),
    organization: z.object({ id: Id, name: z.string(), badge: z.boolean() }),
    city: z.string().nullable(),
    district: z.string(),
    placeTitle: z.string().nullable(),
    start: Instant,
    end: Instant,
    signUpDeadline: Instant,
    capacity: z.number().int(),
    volunteerPlaces: z.number().int(),
    volunteerSkills: z.array(z.string()),
  })
  .meta({ id: 'ActivityHit' })
export type ActivityHit = z.infer<typeof ActivityHit>

export const ActivitySearchResult = z
  .object({
    hits: z.array(ActivityHit),
    facets: Facets,
    total: z.number().int(),
    page: z.number().int(),
    perPage: z.number().int(),
    processingTimeMs: z.number(),
  })
  .meta({ id: 'ActivitySearchResult' })
export type ActivitySearchResult = z.infer<typeof ActivitySearchResult>

export const RecordViewBody = z.strictObject({ listingId: Id }).meta({ id: 'RecordViewBody' })

export const Recommendations = z
  .object({
    items: z.array(SearchHit),
    activities: z
      .array(ActivityHit)
      .optional()
      .describe("upcoming activities in the member's districts (or the soonest anywhere), soonest first"),
    personalised: z.boolean().describe('false when the member has no history or switched it off'),
    basedOn: z.object({ kinds: z.array(z.string()), tags: z.array(z.string()), districts: z.array(z.string()) }),
  })
  .meta({ id: 'Recommendations' })

export const ViewedListing = z.object({ listingId: Id, viewedAt: Instant }).meta({ id: 'ViewedListing' })

/** What discovery keeps about a member for recommendations. */
export const InterestHistory = z
  .object({
    personalised: z.boolean(),
    views: z.array(ViewedListing),
    bookings: z.array(z.object({ listingId: Id, bookedAt: Instant })),
    profile: z.object({
      kinds: z.record(z.string(), z.number()),
      tags: z.record(z.string(), z.number()),
      districts: z.record(z.string(), z.number()),
    }),
  })
  .meta({ id: 'InterestHistory' })

export const HistorySettingsBody = z
  .strictObject({ personalised: z.boolean().describe('false: stop recording views and personalising') })
  .meta({ id: 'HistorySettingsBody' })

export const ReindexStatus = z
  .object({
    state: z.enum(['idle', 'running', 'failed']),
    startedAt: Instant.nullable(),
    finishedAt: Instant.nullable(),
    documents: z.number().int(),
    error: z.string().nullable(),
  })
  .meta({ id: 'ReindexStatus' })
export type ReindexStatus = z.infer<typeof ReindexStatus>

export const IndexStatus = z
  .object({
    indexes: z.array(
      z.object({ name: z.string(), uid: z.string(), documents: z.number().int(), isIndexing: z.boolean() }),
    ),
    consumers: z.array(
      z.object({
        name: z.string(),
        cursor: z.string().nullable(),
        updatedAt: Instant.nullable(),
        lagSeconds: z.number().nullable().describe('null when this process runs no consumer'),
      }),
    ),
    reindex: ReindexStatus,
  })
  .meta({ id: 'IndexStatus' })
export type IndexStatus = z.infer<typeof IndexStatus>
