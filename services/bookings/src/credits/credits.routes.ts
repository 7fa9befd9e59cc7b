import { IdParams, MemberTimeCredits, OrganizationTimeCredits } from '@commons/contracts'
import { type App, requireActor } from '@commons/service-kit'
import type { BookingsDeps } from '../deps.ts'
import { memberCredits, organizationCredits } from './credits.service.ts'

/** Volunteer time credits (我为人人,人人为我). */
export function registerCreditRoutes(app: App, deps: BookingsDeps) {
  const tags = ['time-credits']
  app.get(
    '/v1/time-credits/members/:id',
    {
      schema: {
        operationId: 'getMemberTimeCredits',
        tags,
        security: [{ bearerAuth: [] }],
        params: IdParams,
        description: 'The member and the admins of their organizations only.',
        response: { 200: MemberTimeCredits },
      },
    },
    async (request) => memberCredits(deps, requireActor(request), request.params.id),
  )
  app.get(
    '/v1/time-credits/organizations/:id',
    {
      schema: {
        operationId: 'getOrganizationTimeCredits',
        tags,
        params: IdParams,
        response: { 200: OrganizationTimeCredits },
      },
    },
    async (request) => organizationCredits(deps, request.params.id),
  )
}
