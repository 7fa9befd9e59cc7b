import type { Organization, OrgRole } from '@commons/contracts'
import type { Kysely, Transaction } from 'kysely'
import type { DB, OrganizationRow } from '../db/schema.ts'

export function toOrganizationDto(row: OrganizationRow): Organization {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as Organization['kind'],
    district: row.district,
    city: row.city,
    districtCode: row.districtCode,
    description: row.description,
    logo: row.logo,
    verified: row.verified,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

export function findOrganization(db: Kysely<DB>, id: string) {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Locks an organization row: member changes serialise on it, so the last-owner rule holds under races. */
export function lockOrganization(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('organizations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

/** The user's role in the organization, from the database (tokens may be up to 15 minutes old). */
export async function roleIn(db: Kysely<DB>, organizationId: string, userId: string): Promise<OrgRole | undefined> {
  const row = await db
    .selectFrom('memberships')
    .select('role')
    .where('organizationId', '=', organizationId)
    .where('userId', '=', userId)
    .executeTakeFirst()
  return row?.role
}

export function countOwners(trx: Transaction<DB>, organizationId: string) {
  return trx
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organizationId', '=', organizationId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n))
}

export function listMembers(db: Kysely<DB>, organizationId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.userId')
    .select(['memberships.userId', 'users.displayName', 'users.email', 'memberships.role', 'memberships.createdAt'])
    .where('memberships.organizationId', '=', organizationId)
    .orderBy('memberships.createdAt')
    .execute()
}
