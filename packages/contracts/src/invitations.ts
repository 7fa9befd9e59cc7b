import { z } from 'zod'
import { OrgRole } from './auth.ts'
import { Id, Instant } from './common.ts'

/**
 * Where an invitation stands. `expired` is derived from `expiresAt` at read time: a pending invitation
 * past its expiry can no longer be accepted.
 */
export const InvitationStatus = z
  .enum(['pending', 'accepted', 'declined', 'revoked', 'expired'])
  .meta({ id: 'InvitationStatus' })
export type InvitationStatus = z.infer<typeof InvitationStatus>

/**
 * An invitation to join an organization, as its admins and the invitee see it. It says nothing about
 * whether the email has an account: the answer to inviting is the same either way.
 */
export const Invitation = z
  .object({
    id: Id,
    organizationId: Id,
    organizationName: z.string(),
    email: z.string(),
    role: OrgRole,
    status: InvitationStatus,
    invitedBy: z.string().describe("The inviting admin's display name"),
    expiresAt: Instant,
    createdAt: Instant,
  })
  .meta({ id: 'Invitation' })
export type Invitation = z.infer<typeof Invitation>

export const InvitationList = z.object({ items: z.array(Invitation) }).meta({ id: 'InvitationList' })

export const InvitationParams = z.object({ id: Id })
export const OrganizationInvitationParams = z.object({ id: Id, invitationId: Id })

/** The answer to accepting: the invitation, and an access token that already names the new role. */
export const InvitationAccepted = z
  .object({ invitation: Invitation, accessToken: z.string(), accessTokenExpiresAt: Instant })
  .meta({ id: 'InvitationAccepted' })
