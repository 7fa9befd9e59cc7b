import { IdParams, ListingReputation, MemberReputation, OrganizationReputation } from '@commons/contracts'
import type { App } from '@commons/service-kit'
import type { BookingsDeps } from '../deps.ts'
import { NO_SHOW_LIMIT, noShowsOf, prior, reputationFor } from './reputation.service.ts'

/** Public reputation of listings, organizations (as provider and as requester) and members. */
export function registerReputationRoutes(app: App, deps: BookingsDeps) {
  const tags = ['reputation']
  app.get(
    '/v1/reputation/listings/:id',
    { schema: { operationId: 'getListingReputation', tags, params: IdParams, response: { 200: ListingReputation } } },
    async (request) => ({
      listingId: request.params.id,
      prior,
      reputation: await reputationFor(deps.db, { subject: 'listing', id: request.params.id }),
    }),
  )
  app.get(
    '/v1/reputation/organizations/:id',
    {
      schema: {
        operationId: 'getOrganizationReputation',
        tags,
        params: IdParams,
        response: { 200: OrganizationReputation },
      },
    },
    async (request) => {
      const id = request.params.id
      const [asProvider, asRequester, noShows] = await Promise.all([
        reputationFor(deps.db, { subject: 'organization', id, role: 'provider' }),
        reputationFor(deps.db, { subject: 'organization', id, role: 'requester' }),
        noShowsOf(deps.db, id, deps.clock.now()),
      ])
      return {
        organizationId: id,
        prior,
        asProvider,
        asRequester,
        noShows90Days: noShows,
        instantBookAllowed: noShows < NO_SHOW_LIMIT,
      }
    },
  )
  app.get(
    '/v1/reputation/members/:id',
    { schema: { operationId: 'getMemberReputation', tags, params: IdParams, response: { 200: MemberReputation } } },
    async (request) => ({
      memberId: request.params.id,
      prior,
      reputation: await reputationFor(deps.db, { subject: 'member', id: request.params.id }),
    }),
  )
}
