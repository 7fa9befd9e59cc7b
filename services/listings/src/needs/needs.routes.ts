import { CreateNeedBody, IdParams, Need, NeedPage, NeedsQuery, UpdateNeedBody } from '@commons/contracts'
import { type App, ifMatchVersion, requireActor, setVersionTag } from '@commons/service-kit'
import { z } from 'zod'
import type { ListingsDeps } from '../deps.ts'
import { closeNeed, createNeed, getNeed, listNeeds, updateNeed } from './needs.service.ts'

const security = [{ bearerAuth: [] }]
const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe('The same key and body answer the first need again; the same key with another body is 422'),
})

/** The needs board: groups post what they need; everyone reads it. */
export function registerNeedRoutes(app: App, deps: ListingsDeps) {
  const { db } = deps
  const tags = ['needs']

  app.post(
    '/v1/needs',
    {
      schema: {
        operationId: 'createNeed',
        summary: 'Post a need as an organization (any member of it)',
        tags,
        security,
        headers: IdempotencyHeaders,
        body: CreateNeedBody,
        response: { 201: Need },
      },
    },
    async (request, reply) => {
      const { need } = await createNeed(db, requireActor(request), request.body, request.headers['idempotency-key'])
      setVersionTag(reply, need.version)
      return reply.code(201).send(need)
    },
  )
  app.get(
    '/v1/needs',
    {
      schema: {
        operationId: 'listNeeds',
        summary: 'Needs, newest first: open ones unless `status` says otherwise',
        tags,
        querystring: NeedsQuery,
        response: { 200: NeedPage },
      },
    },
    async (request) => listNeeds(db, request.query),
  )
  app.get(
    '/v1/needs/:id',
    { schema: { operationId: 'getNeed', summary: 'A need', tags, params: IdParams, response: { 200: Need } } },
    async (request, reply) => {
      const need = await getNeed(db, request.params.id)
      setVersionTag(reply, need.version)
      return need
    },
  )
  app.patch(
    '/v1/needs/:id',
    {
      schema: {
        operationId: 'updateNeed',
        summary: 'Change an open need (If-Match required)',
        tags,
        security,
        params: IdParams,
        body: UpdateNeedBody,
        response: { 200: Need },
      },
    },
    async (request, reply) => {
      const need = await updateNeed(
        deps,
        requireActor(request),
        request.params.id,
        request.body,
        ifMatchVersion(request, { required: true }),
      )
      setVersionTag(reply, need.version)
      return need
    },
  )
  app.post(
    '/v1/needs/:id/close',
    {
      schema: {
        operationId: 'closeNeed',
        summary: 'Close a need: it leaves the board',
        tags,
        security,
        params: IdParams,
        response: { 200: Need },
      },
    },
    async (request, reply) => {
      const need = await closeNeed(deps, requireActor(request), request.params.id, ifMatchVersion(request))
      setVersionTag(reply, need.version)
      return need
    },
  )
}
