import {
  ChangeRoleBody,
  CreateOrganizationBody,
  IdParams,
  Member,
  Organization,
  OrganizationCreated,
  UpdateOrganizationBody,
} from '@commons/contracts'
import { type App, ifMatchVersion, requireActor, setVersionTag } from '@commons/service-kit'
import { z } from 'zod'
import type { AuthDeps } from '../auth/auth.service.ts'
import {
  changeRole,
  createOrganization,
  getMembers,
  getOrganization,
  removeMember,
  updateOrganization,
} from './organizations.service.ts'

const MemberParams = z.object({ id: z.uuid(), userId: z.uuid() })
const security = [{ bearerAuth: [] }]

/** Organizations and their members. */
export function registerOrganizationRoutes(app: App, deps: AuthDeps) {
  const { db } = deps
  const tags = ['organizations']

  app.post(
    '/v1/organizations',
    {
      schema: {
        operationId: 'createOrganization',
        tags,
        security,
        body: CreateOrganizationBody,
        response: { 201: OrganizationCreated },
      },
    },
    async (request, reply) => reply.code(201).send(await createOrganization(deps, requireActor(request), request.body)),
  )
  app.get(
    '/v1/organizations/:id',
    { schema: { operationId: 'getOrganization', tags, params: IdParams, response: { 200: Organization } } },
    async (request, reply) => {
      const organization = await getOrganization(db, request.params.id)
      setVersionTag(reply, organization.version)
      return organization
    },
  )
  app.patch(
    '/v1/organizations/:id',
    {
      schema: {
        operationId: 'updateOrganization',
        tags,
        security,
        params: IdParams,
        body: UpdateOrganizationBody,
        response: { 200: Organization },
      },
    },
    async (request, reply) => {
      const organization = await updateOrganization(
        deps,
        requireActor(request),
        request.params.id,
        request.body,
        ifMatchVersion(request),
      )
      setVersionTag(reply, organization.version)
      return organization
    },
  )
  app.get(
    '/v1/organizations/:id/members',
    {
      schema: {
        operationId: 'listMembers',
        tags,
        security,
        params: IdParams,
        response: { 200: z.object({ items: z.array(Member) }) },
      },
    },
    async (request) => ({ items: await getMembers(db, requireActor(request), request.params.id) }),
  )
  app.patch(
    '/v1/organizations/:id/members/:userId',
    {
      schema: {
        operationId: 'changeMemberRole',
        tags,
        security,
        params: MemberParams,
        body: ChangeRoleBody,
        response: { 200: Member },
      },
    },
    async (request) =>
      changeRole(db, requireActor(request), request.params.id, request.params.userId, request.body.role),
  )
  app.delete(
    '/v1/organizations/:id/members/:userId',
    { schema: { operationId: 'removeMember', tags, security, params: MemberParams, response: { 204: z.undefined() } } },
    async (request, reply) => {
      await removeMember(db, requireActor(request), request.params.id, request.params.userId)
      return reply.code(204).send()
    },
  )
}
