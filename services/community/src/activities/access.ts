import type { Actor } from '@commons/contracts'
import { forbidden } from '@commons/service-kit'

/** Whether the actor is an owner or admin of the organization (the token's roles, as bookings reads them). */
export const isOrganizationAdmin = (actor: Actor | null | undefined, organizationId: string): boolean => {
  const role = actor?.roles[organizationId]
  return role === 'owner' || role === 'admin'
}

/** Refuses unless the actor administers the organization (moderators too when `moderators` is set). */
export function assertOrganizationAdmin(actor: Actor, organizationId: string, opts: { moderators?: boolean } = {}) {
  if (isOrganizationAdmin(actor, organizationId)) return
  if (opts.moderators && actor.moderator) return
  throw forbidden('Only the host organization’s admins may do this.', 'not_a_member')
}
