import {
  AddMemberBody,
  IdParams,
  Invitation,
  InvitationAccepted,
  InvitationList,
  InvitationParams,
  OrganizationInvitationParams,
} from '@commons/contracts'
import { type App, requireActor } from '@commons/service-kit'
import { z } from 'zod'
import { type AuthDeps, issueAccessToken } from '../auth/auth.service.ts'
import {
  acceptInvitation,
  declineInvitation,
  getInvitations,
  getMyInvitations,
  inviteMember,
  revokeInvitation,
} from './invitations.service.ts'

const security = [{ bearerAuth: [] }]

/**
 * Invitations: an organization's admins invite by email, and only the person who signs in with that email
 * makes the membership by accepting. Adding a member goes through here; nobody joins without consent.
 */
export function registerInvitationRoutes(app: App, auth: AuthDeps, options: { invitationTtlDays: number }) {
  const deps = { db: auth.db, clock: auth.clock, invitationTtlDays: options.invitationTtlDays }
  const tags = ['organizations']

  app.post(
    '/v1/organizations/:id/members',
    {
      schema: {
        operationId: 'inviteMember',
        summary: 'Invite someone by email; the same answer whether the email has an account or not',
        tags,
        security,
        params: IdParams,
        body: AddMemberBody,
        response: { 202: Invitation },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await inviteMember(deps, requireActor(request), request.params.id, request.body)),
  )
  app.get(
    '/v1/organizations/:id/invitations',
    {
      schema: {
        operationId: 'listInvitations',
        summary: "The organization's open invitations (admins)",
        tags,
        security,
        params: IdParams,
        response: { 200: InvitationList },
      },
    },
    async (request) => ({ items: await getInvitations(deps, requireActor(request), request.params.id) }),
  )
  app.delete(
    '/v1/organizations/:id/invitations/:invitationId',
    {
      schema: {
        operationId: 'revokeInvitation',
        tags,
        security,
        params: OrganizationInvitationParams,
        response: { 204: z.undefined() },
      },
    },
    async (request, reply) => {
      await revokeInvitation(deps, requireActor(request), request.params.id, request.params.invitationId)
      return reply.code(204).send()
    },
  )
  app.get(
    '/v1/me/invitations',
    {
      schema: {
        operationId: 'listMyInvitations',
        summary: "The caller's pending invitations (to the email they sign in with)",
        tags,
        security,
        response: { 200: InvitationList },
      },
    },
    async (request) => ({ items: await getMyInvitations(deps, requireActor(request)) }),
  )
  app.post(
    '/v1/invitations/:id/accept',
    {
      schema: {
        operationId: 'acceptInvitation',
        summary: 'Join the organization; the answer carries a token that already names the role',
        tags,
        security,
        params: InvitationParams,
        response: { 200: InvitationAccepted },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const invitation = await acceptInvitation(deps, actor, request.params.id)
      const access = await issueAccessToken(auth, actor.userId)
      return { invitation, accessToken: access.token, accessTokenExpiresAt: access.expiresAt.toISOString() }
    },
  )
  app.post(
    '/v1/invitations/:id/decline',
    {
      schema: {
        operationId: 'declineInvitation',
        tags,
        security,
        params: InvitationParams,
        response: { 200: Invitation },
      },
    },
    async (request) => declineInvitation(deps, requireActor(request), request.params.id),
  )
}
