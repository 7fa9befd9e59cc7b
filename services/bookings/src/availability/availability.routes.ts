import { AvailabilityParams, AvailabilityQuery, AvailabilityResponse } from '@commons/contracts'
import type { App } from '@commons/service-kit'
import type { BookingsDeps } from '../deps.ts'
import { getAvailability } from './availability.service.ts'

/** Bookable slots of a listing (public). */
export function registerAvailabilityRoutes(app: App, deps: BookingsDeps) {
  app.get(
    '/v1/availability/:listingId',
    {
      schema: {
        operationId: 'getAvailability',
        tags: ['availability'],
        params: AvailabilityParams,
        querystring: AvailabilityQuery,
        response: { 200: AvailabilityResponse },
      },
    },
    async (request) =>
      getAvailability(
        deps,
        request.params.listingId,
        new Date(request.query.from),
        new Date(request.query.to),
        request.query.include === 'taken',
      ),
  )
}
