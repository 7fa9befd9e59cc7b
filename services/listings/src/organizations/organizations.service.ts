import type { Actor, Member, Organization, OrgRole } from '@commons/contracts'
import { LISTINGS_EVENTS } from '@commons/contracts'
import { type AnyTransaction, appendEvent, newId } from '@commons/db'
import { resolveDistrict } from '@commons/places'
import { conflict, notFound, preconditionFailed } from '@commons/service-kit'
import type { Kysely, Transaction } from 'kysely'
import { type AuthDeps, issueAccessToken } from '../auth/auth.service.ts'
import type { DB, OrganizationRow } from '../db/schema.ts'
import type { DbClock } from '../deps.ts'
import { isModerator } from '../moderation/moderators.ts'
import { assertOwnPhotos } from '../photos/photos.repository.ts'
import { placeNames, placeOfCode } from '../places/places.ts'
import {
  countOwners,
  findOrganization,
  listMembers,
  lockOrganization,
  roleIn,
  toOrganizationDto,
} from './organizations.repository.ts'
import { assertMayGrant, assertRole, atLeast } from './permissions.ts'

type OrganizationInput = Pick<Organization, 'name' | 'kind' | 'district' | 'city' | 'description'> & {
  districtCode?: string | undefined
}

/**
 * The organization's place from the gazetteer: a code replaces the names sent; names alone get the code of
 * the one district they name, or none (organizations may sit where the gazetteer has no district).
 */
function placeOrganization<T extends Partial<OrganizationInput>>(
  input: T,
  current?: { city: string; district: string },
): Omit<T, 'districtCode'> & { districtCode?: string | null } {
  const { districtCode, ...rest } = input
  if (districtCode) {
    const { city, district } = placeNames(placeOfCode(districtCode, 'body.districtCode'))
    return { ...rest, city, district, districtCode }
  }
  if (rest.city === undefined && rest.district === undefined) return rest
  const city = rest.city ?? current?.city ?? ''
  const district = rest.district ?? current?.district ?? ''
  return { ...rest, districtCode: resolveDistrict(city, district)?.district.code ?? null }
}

/** Appends `organization.updated` with the organization's public snapshot (discovery shows name and badge). */
export function organizationEvent(trx: AnyTransaction, row: OrganizationRow) {
  return appendEvent(trx, {
    type: LISTINGS_EVENTS.organizationUpdated,
    entityId: row.id,
    version: row.version,
    payload: { organization: toOrganizationDto(row) },
  })
}

/**
 * Appends `organization.members` with every member after a change of membership: other services authorize
 * from it (their access replicas) and messaging's parties come from it. The version is the organization's
 * `members_version`, raised here under the row lock every membership change takes, so it grows in commit
 * order; access tokens carry it, so a replica knows whether a token is newer than what it holds.
 */
export async function membersEvent(trx: Transaction<DB>, organizationId: string) {
  const members = await listMembers(trx, organizationId)
  const { membersVersion } = await trx
    .updateTable('organizations')
    .set((eb) => ({ membersVersion: eb('membersVersion', '+', 1) }))
    .where('id', '=', organizationId)
    .returning('membersVersion')
    .executeTakeFirstOrThrow()
  return appendEvent(trx, {
    type: LISTINGS_EVENTS.organizationMembers,
    entityId: organizationId,
    version: membersVersion,
    payload: {
      organizationId,
      members: members.map((m) => ({ userId: m.userId, displayName: m.displayName, role: m.role })),
    },
  })
}

/** Creates an organization with the caller as owner, and a token that already carries the role. */
export async function createOrganization(deps: AuthDeps, actor: Actor, input: OrganizationInput) {
  const row = await deps.db.transaction().execute(async (trx) => {
    const org = await trx
      .insertInto('organizations')
      .values({ id: newId(), ...placeOrganization(input) })
      .returningAll()
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('memberships')
      .values({ organizationId: org.id, userId: actor.userId, role: 'owner' })
      .execute()
    await organizationEvent(trx, org)
    await membersEvent(trx, org.id)
    return org
  })
  const access = await issueAccessToken(deps, actor.userId)
  return {
    organization: toOrganizationDto(row),
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt.toISOString(),
  }
}

export async function getOrganization(db: Kysely<DB>, id: string): Promise<Organization> {
  const row = await findOrganization(db, id)
  if (!row) throw notFound('organization', id)
  return toOrganizationDto(row)
}

/** Updates the public profile (admins and owners). `ifMatch`, when given, must be the current version. */
export async function updateOrganization(
  { db, clock }: DbClock,
  actor: Actor,
  id: string,
  changes: Partial<OrganizationInput> & { logo?: string | null | undefined },
  ifMatch?: number,
): Promise<Organization> {
  await assertRole(db, actor, id, 'admin')
  return db.transaction().execute(async (trx) => {
    const current = (await lockOrganization(trx, id)) ?? throwNotFound(id)
    if (ifMatch !== undefined && ifMatch !== current.version) throw preconditionFailed()
    if (changes.logo) await assertOwnPhotos(trx, id, [changes.logo], 'body.logo')
    const row = await trx
      .updateTable('organizations')
      .set({ ...placeOrganization(changes, current), version: current.version + 1, updatedAt: clock.now() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await organizationEvent(trx, row)
    return toOrganizationDto(row)
  })
}

const toMember = (r: Awaited<ReturnType<typeof listMembers>>[number]): Member => ({
  userId: r.userId,
  displayName: r.displayName,
  email: r.email,
  role: r.role,
  joinedAt: r.createdAt.toISOString(),
})

/**
 * Members with their roles: visible to members of the organization and moderators. Emails are contact
 * data: only admins and owners (who manage membership) and moderators see them; plain members get null.
 */
export async function getMembers(db: Kysely<DB>, actor: Actor, id: string): Promise<Member[]> {
  const moderator = await isModerator(db, actor)
  const role = moderator ? undefined : await assertRole(db, actor, id, 'member')
  if (moderator && !(await findOrganization(db, id))) throw notFound('organization', id)
  const seesEmails = moderator || atLeast(role, 'admin')
  return (await listMembers(db, id)).map((row) => ({ ...toMember(row), email: seesEmails ? row.email : null }))
}

/** Changes a member's role; the last owner cannot be demoted. */
export async function changeRole(db: Kysely<DB>, actor: Actor, id: string, userId: string, role: OrgRole) {
  const actorRole = await assertRole(db, actor, id, 'admin')
  return db.transaction().execute(async (trx) => {
    await lockOrganization(trx, id)
    const current = (await roleIn(trx, id, userId)) ?? throwMemberNotFound(userId)
    assertMayGrant(actorRole, role)
    assertMayGrant(actorRole, current)
    if (current === 'owner' && role !== 'owner') await assertNotLastOwner(trx, id)
    await trx
      .updateTable('memberships')
      .set({ role })
      .where('organizationId', '=', id)
      .where('userId', '=', userId)
      .execute()
    await membersEvent(trx, id)
    const members = await listMembers(trx, id)
    return toMember(members.find((m) => m.userId === userId)!)
  })
}

/** Removes a member (admins remove others; anyone may leave); the last owner cannot leave. */
export async function removeMember(db: Kysely<DB>, actor: Actor, id: string, userId: string) {
  const leaving = userId === actor.userId
  const actorRole = leaving ? await assertRole(db, actor, id, 'member') : await assertRole(db, actor, id, 'admin')
  await db.transaction().execute(async (trx) => {
    await lockOrganization(trx, id)
    const current = (await roleIn(trx, id, userId)) ?? throwMemberNotFound(userId)
    if (!leaving) assertMayGrant(actorRole, current)
    if (current === 'owner') await assertNotLastOwner(trx, id)
    await trx.deleteFrom('memberships').where('organizationId', '=', id).where('userId', '=', userId).execute()
    await membersEvent(trx, id)
  })
}

async function assertNotLastOwner(trx: Transaction<DB>, id: string) {
  if ((await countOwners(trx, id)) <= 1) {
    throw conflict('last_owner', 'An organization needs an owner: make someone else owner first.')
  }
}

function throwNotFound(id: string): never {
  throw notFound('organization', id)
}
function throwMemberNotFound(userId: string): never {
  throw notFound('member', userId)
}

export { atLeast }
