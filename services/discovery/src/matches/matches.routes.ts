import { IdParams, ListingMatches, NeedMatches } from '@commons/contracts'
import type { App } from '@commons/service-kit'
import type { SearchDeps } from '../search/search.service.ts'
import { listingsForNeed, needsForListing } from './matches.service.ts'

/** The needs board's matchmaking: listings for a need, needs for a listing. */
export function registerMatchRoutes(app: App, deps: SearchDeps) {
  const tags = ['matches']
  app.get(
    '/v1/matches/needs/:id',
    {
      schema: {
        operationId: 'matchListingsToNeed',
        tags,
        description: 'Published listings that fit an open need (kind, district, capacity, budget, free in its window).',
        params: IdParams,
        response: { 200: ListingMatches },
      },
    },
    async (request) => listingsForNeed(deps, request.params.id),
  )
  app.get(
    '/v1/matches/listings/:id',
    {
      schema: {
        operationId: 'matchNeedsToListing',
        tags,
        description: 'Open needs that a published listing fits.',
        params: IdParams,
        response: { 200: NeedMatches },
      },
    },
    async (request) => needsForListing(deps, request.params.id),
  )
}
