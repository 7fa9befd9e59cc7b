import { IdParams } from '@commons/contracts'
import { type App, requireActor } from '@commons/service-kit'
import { z } from 'zod'
import type { BookingsDeps } from '../deps.ts'
import { issueOrganizationCalendarToken, listingCalendar, organizationCalendar } from './calendars.service.ts'

const ICS = 'text/calendar; charset=utf-8'
const CalendarText = z.string().describe('An iCalendar (RFC 5545) document')
const TokenQuery = z.object({ token: z.string().min(1).max(200) })
const CalendarLink = z.object({ token: z.string(), path: z.string() }).meta({ id: 'CalendarLink' })

/** iCalendar feeds of listings (public busy times) and organizations (private, with a revocable token). */
export function registerCalendarRoutes(app: App, deps: BookingsDeps) {
  const tags = ['calendars']
  app.get(
    '/v1/calendars/listings/:id.ics',
    { schema: { operationId: 'getListingCalendar', tags, params: IdParams, response: { 200: CalendarText } } },
    async (request, reply) => reply.type(ICS).send(await listingCalendar(deps, request.params.id)),
  )
  app.get(
    '/v1/calendars/organizations/:id.ics',
    {
      schema: {
        operationId: 'getOrganizationCalendar',
        tags,
        params: IdParams,
        querystring: TokenQuery,
        response: { 200: CalendarText },
      },
    },
    async (request, reply) =>
      reply
        .type(ICS)
        .header('cache-control', 'private, no-store')
        .send(await organizationCalendar(deps, request.params.id, request.query.token)),
  )
  app.post(
    '/v1/calendars/organizations/:id/token',
    {
      schema: {
        operationId: 'issueOrganizationCalendarToken',
        tags,
        security: [{ bearerAuth: [] }],
        params: IdParams,
        description: 'A new private feed link; links issued before stop working.',
        response: { 200: CalendarLink },
      },
    },
    async (request) => issueOrganizationCalendarToken(deps, requireActor(request), request.params.id),
  )
}
