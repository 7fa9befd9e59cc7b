import type { ParentLink, Quota } from '@commons/contracts'
import { type Kysely, sql, type Transaction } from 'kysely'
import type { DB, OrganizationParentRow } from '../db/schema.ts'

// Hierarchy changes are rare and a cycle can only be seen across rows, so they queue on one advisory lock.
const HIERARCHY_LOCK = 0x68696572 // 'hier'

/** Serialises hierarchy changes for the rest of the transaction (two confirmations must not close a loop). */
export async function lockHierarchy(trx: Transaction<DB>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${HIERARCHY_LOCK})`.execute(trx)
}

export function findParentRow(db: Kysely<DB>, organizationId: string) {
  return db
    .selectFrom('organizationParents')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .executeTakeFirst()
}

/** Ids of the confirmed ancestors of an organization, nearest first (bounded, in case of bad data). */
export async function confirmedAncestors(db: Kysely<DB>, organizationId: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    with recursive up (id, depth) as (
      select parent_id, 1 from organization_parents where organization_id = ${organizationId} and status = 'confirmed'
      union all
      select p.parent_id, up.depth + 1
        from organization_parents p join up on p.organization_id = up.id
       where p.status = 'confirmed' and up.depth < 64
    )
    select id from up order by depth
  `.execute(db)
  return rows.map((r) => r.id)
}

/** Writes the link of `organizationId`, bumping its version; returns the row after the change. */
export async function saveParentRow(
  trx: Transaction<DB>,
  organizationId: string,
  change: Omit<OrganizationParentRow, 'organizationId' | 'version'>,
): Promise<OrganizationParentRow> {
  return trx
    .insertInto('organizationParents')
    .values({ organizationId, ...change })
    .onConflict((oc) =>
      oc.column('organizationId').doUpdateSet({ ...change, version: sql`organization_parents.version + 1` }),
    )
    .returningAll()
    .executeTakeFirstOrThrow()
}

const linkColumns = [
  'p.organizationId',
  'child.name as organizationName',
  'p.parentId',
  'parent.name as parentName',
  'p.status',
  'p.requestedAt',
  'p.confirmedAt',
] as const

function linksQuery(db: Kysely<DB>) {
  return db
    .selectFrom('organizationParents as p')
    .innerJoin('organizations as child', 'child.id', 'p.organizationId')
    .innerJoin('organizations as parent', 'parent.id', 'p.parentId')
    .select(linkColumns)
}

type LinkRow = Awaited<ReturnType<ReturnType<typeof linksQuery>['execute']>>[number]

export function toParentLink(row: LinkRow): ParentLink {
  return {
    organizationId: row.organizationId,
    organizationName: row.organizationName,
    parentId: row.parentId as string,
    parentName: row.parentName,
    status: row.status as ParentLink['status'],
    requestedAt: (row.requestedAt as Date).toISOString(),
    confirmedAt: row.confirmedAt ? row.confirmedAt.toISOString() : null,
  }
}

/** The organization's own link (pending or confirmed), if any. */
export function parentLinkOf(db: Kysely<DB>, organizationId: string) {
  return linksQuery(db).where('p.organizationId', '=', organizationId).executeTakeFirst()
}

/** Links naming the organization as parent; pending ones only when asked for. */
export function childLinksOf(db: Kysely<DB>, parentId: string, withPending: boolean) {
  return linksQuery(db)
    .where('p.parentId', '=', parentId)
    .where('p.status', 'in', withPending ? ['pending', 'confirmed'] : ['confirmed'])
    .orderBy('child.name')
    .execute()
}

export async function findQuotas(db: Kysely<DB>, organizationId: string) {
  return db.selectFrom('organizationQuotas').selectAll().where('organizationId', '=', organizationId).executeTakeFirst()
}

/** Replaces a parent's quotas, bumping their version. */
export function saveQuotas(trx: Transaction<DB>, organizationId: string, quotas: Quota[], now: Date) {
  const document = JSON.stringify(quotas)
  return trx
    .insertInto('organizationQuotas')
    .values({ organizationId, quotas: document, updatedAt: now })
    .onConflict((oc) =>
      oc.column('organizationId').doUpdateSet({
        quotas: document,
        updatedAt: now,
        version: sql`organization_quotas.version + 1`,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow()
}
