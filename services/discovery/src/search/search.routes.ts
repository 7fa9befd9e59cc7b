import {
  ActivitySearchQuery,
  ActivitySearchResult,
  SearchQuery,
  SearchResult,
  Suggestions,
  SuggestQuery,
} from '@commons/contracts'
import type { App } from '@commons/service-kit'
import { searchActivities } from './activities.service.ts'
import { type SearchDeps, searchListings, suggest } from './search.service.ts'

/**
 * Search answers are serialized as they are built, without walking them through the response schema: they
 * are assembled field by field from typed code (toHit, searchListings), and re-validating twenty hits
 * with their facets cost about as much CPU as the search itself took in Meilisearch, on the same two
 * cores (issue 16's latency gap). The schema still documents the route and types the handler.
 */
const plainJson = () => (data: unknown) => JSON.stringify(data)

/** Full-text search with filters, facets, geo and the availability window; autocomplete. */
export function registerSearchRoutes(app: App, deps: SearchDeps) {
  const tags = ['search']
  app.get(
    '/v1/search',
    {
      schema: {
        operationId: 'searchListings',
        tags,
        description: 'Search published listings (Chinese full text) with filters, facets, geo and a time window.',
        querystring: SearchQuery,
        response: { 200: SearchResult },
      },
      serializerCompiler: plainJson,
    },
    async (request) => searchListings(deps, request.query),
  )
  // Under /v1/search, not /v1/activities: the routing table sends /v1/activities to community.
  app.get(
    '/v1/search/activities',
    {
      schema: {
        operationId: 'searchActivities',
        tags,
        description:
          'Search published, upcoming activities (Chinese full text) by date range, city, district, target group, ' +
          'category and volunteer places; `thisWeek=true&city=上海` is the home page\'s "this week in my city".',
        querystring: ActivitySearchQuery,
        response: { 200: ActivitySearchResult },
      },
      serializerCompiler: plainJson,
    },
    async (request) => searchActivities(deps, request.query),
  )
  app.get(
    '/v1/suggest',
    {
      schema: {
        operationId: 'suggest',
        tags,
        description: 'Autocomplete on listing titles and tags.',
        querystring: SuggestQuery,
        response: { 200: Suggestions },
      },
      serializerCompiler: plainJson,
    },
    async (request) => suggest(deps, request.query.q, request.query.limit),
  )
}
