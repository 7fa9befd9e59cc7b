import { IdParams, OrganizationHierarchy, ParentLink, Quotas, RequestParentBody } from '@commons/contracts'
import { type App, requireActor } from '@commons/service-kit'
import { z } from 'zod'
import type { ListingsDeps } from '../deps.ts'
import {
  confirmChild,
  getHierarchy,
  getQuotas,
  leaveParent,
  removeChild,
  requestParent,
  setQuotas,
} from './hierarchy.service.ts'

const ChildParams = z.object({ id: z.uuid(), childId: z.uuid() })
const security = [{ bearerAuth: [] }]

/**
 * The organization hierarchy and parents' fair-share quotas, under the organization routes: a link belongs
 * to the two organizations it joins, and quotas are a parent organization's settings.
 */
export function registerHierarchyRoutes(app: App, deps: ListingsDeps) {
  const { db } = deps
  const tags = ['organizations']

  app.get(
    '/v1/organizations/:id/hierarchy',
    {
      schema: {
        operationId: 'getOrganizationHierarchy',
        tags,
        params: IdParams,
        response: { 200: OrganizationHierarchy },
      },
    },
    async (request) => getHierarchy(db, request.actor, request.params.id),
  )
  app.put(
    '/v1/organizations/:id/parent',
    {
      schema: {
        operationId: 'requestParentOrganization',
        tags,
        security,
        params: IdParams,
        body: RequestParentBody,
        response: { 200: ParentLink },
      },
    },
    async (request) => requestParent(deps, requireActor(request), request.params.id, request.body.parentId),
  )
  app.delete(
    '/v1/organizations/:id/parent',
    {
      schema: {
        operationId: 'leaveParentOrganization',
        tags,
        security,
        params: IdParams,
        response: { 204: z.undefined() },
      },
    },
    async (request, reply) => {
      await leaveParent(db, requireActor(request), request.params.id)
      return reply.code(204).send()
    },
  )
  app.post(
    '/v1/organizations/:id/children/:childId/confirm',
    {
      schema: {
        operationId: 'confirmChildOrganization',
        tags,
        security,
        params: ChildParams,
        response: { 200: ParentLink },
      },
    },
    async (request) => confirmChild(deps, requireActor(request), request.params.id, request.params.childId),
  )
  app.delete(
    '/v1/organizations/:id/children/:childId',
    {
      schema: {
        operationId: 'removeChildOrganization',
        tags,
        security,
        params: ChildParams,
        response: { 204: z.undefined() },
      },
    },
    async (request, reply) => {
      await removeChild(db, requireActor(request), request.params.id, request.params.childId)
      return reply.code(204).send()
    },
  )
  app.get(
    '/v1/organizations/:id/quotas',
    { schema: { operationId: 'getOrganizationQuotas', tags, params: IdParams, response: { 200: Quotas } } },
    async (request) => getQuotas(db, request.params.id),
  )
  app.put(
    '/v1/organizations/:id/quotas',
    {
      schema: {
        operationId: 'setOrganizationQuotas',
        tags,
        security,
        params: IdParams,
        body: Quotas,
        response: { 200: Quotas },
      },
    },
    async (request) => setQuotas(deps, requireActor(request), request.params.id, request.body.quotas),
  )
}
