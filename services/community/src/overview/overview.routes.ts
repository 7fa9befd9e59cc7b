import { IdParams, OrganizationOverview } from '@commons/contracts'
import type { App } from '@commons/service-kit'
import type { CommunityDeps } from '../deps.ts'
import { getOverview } from './overview.service.ts'

/** Overviews for parent organizations. */
export function registerOverviewRoutes(app: App, deps: CommunityDeps) {
  app.get(
    '/v1/overview/organizations/:id',
    {
      schema: {
        operationId: 'getOrganizationOverview',
        tags: ['overview'],
        security: [{ bearerAuth: [] }],
        params: IdParams,
        response: { 200: OrganizationOverview },
      },
    },
    async (request) => getOverview(deps, request.actor, request.params.id),
  )
}
