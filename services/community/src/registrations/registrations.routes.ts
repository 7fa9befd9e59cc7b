import {
  CheckInBody,
  CreateRegistrationBody,
  IdParams,
  MyActivityList,
  MyRegistration,
  Registration,
  RegistrationList,
} from '@commons/contracts'
import { type App, requireActor } from '@commons/service-kit'
import { z } from 'zod'
import type { CommunityDeps } from '../deps.ts'
import {
  cancelMyRegistration,
  checkIn,
  getMyRegistration,
  listMyActivities,
  listRegistrations,
  registrationsCsv,
  signUp,
} from './registrations.service.ts'

const security = [{ bearerAuth: [] }]
const tags = ['activities']
const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe('The same key answers the first sign-up again; with another activity or role it is 422'),
})

/** Sign-ups, the caller's own sign-up with its QR code, the host's list (JSON or CSV) and check-in. */
export function registerRegistrationRoutes(app: App, deps: CommunityDeps) {
  app.post(
    '/v1/activities/:id/registrations',
    {
      schema: {
        operationId: 'signUpForActivity',
        tags,
        security,
        params: IdParams,
        headers: IdempotencyHeaders,
        body: CreateRegistrationBody,
        response: { 200: Registration, 201: Registration },
      },
    },
    async (request, reply) => {
      const outcome = await signUp(
        deps,
        requireActor(request),
        request.params.id,
        request.body,
        request.headers['idempotency-key'],
      )
      return reply.code(outcome.created ? 201 : 200).send(outcome.registration)
    },
  )
  app.get(
    '/v1/activities/:id/registrations',
    {
      schema: {
        operationId: 'listActivityRegistrations',
        tags,
        security,
        params: IdParams,
        querystring: z.object({ format: z.enum(['json', 'csv']).default('json') }),
        response: {
          200: {
            content: {
              'application/json': { schema: RegistrationList },
              'text/csv': { schema: z.string().describe('The same list as CSV: UTF-8 with a byte order mark') },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const items = await listRegistrations(deps, requireActor(request), request.params.id)
      if (request.query.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="activity-${request.params.id}.csv"`)
          .send(`\uFEFF${registrationsCsv(items)}`)
      }
      return reply.type('application/json; charset=utf-8').send({ items })
    },
  )
  app.get(
    '/v1/activities/mine',
    { schema: { operationId: 'listMyActivities', tags, security, response: { 200: MyActivityList } } },
    async (request) => listMyActivities(deps, requireActor(request)),
  )
  app.get(
    '/v1/activities/:id/registrations/me',
    {
      schema: { operationId: 'getMyRegistration', tags, security, params: IdParams, response: { 200: MyRegistration } },
    },
    async (request) => getMyRegistration(deps, requireActor(request), request.params.id),
  )
  app.delete(
    '/v1/activities/:id/registrations/me',
    { schema: { operationId: 'cancelMyRegistration', tags, security, params: IdParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await cancelMyRegistration(deps, requireActor(request), request.params.id)
      return reply.code(204).send(null)
    },
  )
  app.post(
    '/v1/activities/:id/check-ins',
    {
      schema: {
        operationId: 'checkInToActivity',
        tags,
        security,
        params: IdParams,
        body: CheckInBody,
        response: { 200: Registration },
      },
    },
    async (request) => checkIn(deps, requireActor(request), request.params.id, request.body),
  )
}
