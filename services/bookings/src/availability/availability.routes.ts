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
      // The schema stays for the OpenAPI document, but the answer is not checked against it on the way out:
      // checking 260 slots' instants against the RFC 3339 pattern on every page view cost more than the
      // computation of the slots (issue 17). getAvailability is typed by the same schema and builds every
      // instant with toISOString, and the tests hold the answer to the schema.
      serializerCompiler: () => (data) => JSON.stringify(data),
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
