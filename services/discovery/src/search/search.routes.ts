import { SearchQuery, SearchResult, Suggestions, SuggestQuery } from '@commons/contracts'
import type { App } from '@commons/service-kit'
import { type SearchDeps, searchListings, suggest } from './search.service.ts'

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
    },
    async (request) => searchListings(deps, request.query),
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
    },
    async (request) => suggest(deps, request.query.q, request.query.limit),
  )
}
