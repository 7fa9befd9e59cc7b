import type { Actor, OrgRole } from '@commons/contracts'
import { forbidden, notFound } from '@commons/service-kit'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import { findOrganization, roleIn } from './organizations.repository.ts'

const RANK: Record<OrgRole, number> = { member: 1, admin: 2, owner: 3 }

/** True when `role` is at least `needed` (owner > admin > member). */
export const atLeast = (role: OrgRole | undefined, needed: OrgRole) => role !== undefined && RANK[role] >= RANK[needed]

/**
 * Checks that the actor holds at least `needed` in the organization, by the database rather than the token
 * (a removed admin's token lives on for minutes). 404 when the organization does not exist, 403 otherwise.
 */
export async function assertRole(
  db: Kysely<DB>,
  actor: Actor,
  organizationId: string,
  needed: OrgRole,
): Promise<OrgRole> {
  const [organization, role] = await Promise.all([
    findOrganization(db, organizationId),
    roleIn(db, organizationId, actor.userId),
  ])
  if (!organization) throw notFound('organization', organizationId)
  if (!atLeast(role, needed)) throw forbidden(`Only ${needed}s of this organization may do this.`)
  return role as OrgRole
}

/** Only owners may make or unmake owners (or invite one); admins manage admins and members. */
export function assertMayGrant(actorRole: OrgRole, role: OrgRole) {
  if (role === 'owner' && actorRole !== 'owner') throw forbidden('Only owners may make or change owners.')
}
