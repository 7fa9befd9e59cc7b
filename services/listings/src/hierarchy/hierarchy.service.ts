import {
  type Actor,
  LISTINGS_EVENTS,
  type OrganizationHierarchy,
  type ParentLink,
  type Quota,
  type Quotas,
} from '@commons/contracts'
import { appendEvent } from '@commons/db'
import { conflict, notFound } from '@commons/service-kit'
import type { Kysely, Transaction } from 'kysely'
import type { DB, OrganizationParentRow } from '../db/schema.ts'
import type { DbClock } from '../deps.ts'
import { findOrganization, lockOrganization, roleIn } from '../organizations/organizations.repository.ts'
import { assertRole, atLeast } from '../organizations/permissions.ts'
import {
  childLinksOf,
  confirmedAncestors,
  findParentRow,
  findQuotas,
  lockHierarchy,
  parentLinkOf,
  saveParentRow,
  saveQuotas,
  toParentLink,
} from './hierarchy.repository.ts'

const cycle = () =>
  conflict('hierarchy_cycle', 'An organization cannot sit below itself or below one of its own descendants.')

/** Appends `organization.parent_changed` when the confirmed parent differs before and after a change. */
async function announceIfChanged(
  trx: Transaction<DB>,
  before: OrganizationParentRow | undefined,
  after: OrganizationParentRow,
) {
  const confirmedParent = (row: OrganizationParentRow | undefined) =>
    row?.status === 'confirmed' ? row.parentId : null
  if (confirmedParent(before) === confirmedParent(after)) return
  await appendEvent(trx, {
    type: LISTINGS_EVENTS.organizationParentChanged,
    entityId: after.organizationId,
    version: after.version,
    payload: { organizationId: after.organizationId, parentId: confirmedParent(after), version: after.version },
  })
}

async function linkOf(db: Kysely<DB>, organizationId: string): Promise<ParentLink> {
  const row = await parentLinkOf(db, organizationId)
  if (!row) throw notFound('parent_link')
  return toParentLink(row)
}

/**
 * `PUT /v1/organizations/:id/parent`: the child's admin names a parent. The link stays pending until the
 * parent's admin confirms it; naming another parent ends the current link at once.
 */
export async function requestParent(
  { db, clock }: DbClock,
  actor: Actor,
  id: string,
  parentId: string,
): Promise<ParentLink> {
  await assertRole(db, actor, id, 'admin')
  if (parentId === id) throw cycle()
  if (!(await findOrganization(db, parentId))) throw notFound('organization', parentId)
  await db.transaction().execute(async (trx) => {
    await lockHierarchy(trx)
    await lockOrganization(trx, id)
    const before = await findParentRow(trx, id)
    if (before?.parentId === parentId && before.status !== 'none') return
    if ((await confirmedAncestors(trx, parentId)).includes(id)) throw cycle()
    const after = await saveParentRow(trx, id, {
      parentId,
      status: 'pending',
      requestedBy: actor.userId,
      requestedAt: clock.now(),
      confirmedBy: null,
      confirmedAt: null,
    })
    await announceIfChanged(trx, before, after)
  })
  return linkOf(db, id)
}

/** `POST /v1/organizations/:id/children/:childId/confirm`: the parent's admin accepts a pending link. */
export async function confirmChild(
  { db, clock }: DbClock,
  actor: Actor,
  id: string,
  childId: string,
): Promise<ParentLink> {
  await assertRole(db, actor, id, 'admin')
  await db.transaction().execute(async (trx) => {
    await lockHierarchy(trx)
    const before = await findParentRow(trx, childId)
    if (before?.parentId !== id || before.status === 'none') throw notFound('parent_link')
    if (before.status === 'confirmed') return
    // Checked again under the lock: the tree may have changed since the child asked.
    if ((await confirmedAncestors(trx, id)).includes(childId)) throw cycle()
    const after = await saveParentRow(trx, childId, {
      ...before,
      status: 'confirmed',
      confirmedBy: actor.userId,
      confirmedAt: clock.now(),
    })
    await announceIfChanged(trx, before, after)
  })
  return linkOf(db, childId)
}

/** Ends a link (pending or confirmed); with `parentId`, only a link to that parent. */
async function endLink(db: Kysely<DB>, childId: string, parentId: string | undefined) {
  await db.transaction().execute(async (trx) => {
    await lockHierarchy(trx)
    const before = await findParentRow(trx, childId)
    if (!before || before.status === 'none' || (parentId !== undefined && before.parentId !== parentId))
      throw notFound('parent_link')
    const after = await saveParentRow(trx, childId, {
      parentId: null,
      status: 'none',
      requestedBy: null,
      requestedAt: null,
      confirmedBy: null,
      confirmedAt: null,
    })
    await announceIfChanged(trx, before, after)
  })
}

/** `DELETE /v1/organizations/:id/parent`: the child's admin withdraws a request or leaves its parent. */
export async function leaveParent(db: Kysely<DB>, actor: Actor, id: string): Promise<void> {
  await assertRole(db, actor, id, 'admin')
  await endLink(db, id, undefined)
}

/** `DELETE /v1/organizations/:id/children/:childId`: the parent's admin declines a request or lets a child go. */
export async function removeChild(db: Kysely<DB>, actor: Actor, id: string, childId: string): Promise<void> {
  await assertRole(db, actor, id, 'admin')
  await endLink(db, childId, id)
}

/**
 * `GET /v1/organizations/:id/hierarchy`. Confirmed links are public facts; a pending request is shown to the
 * admins who act on it (the child's for its own request, the parent's for requests to it).
 */
export async function getHierarchy(
  db: Kysely<DB>,
  actor: Actor | null | undefined,
  id: string,
): Promise<OrganizationHierarchy> {
  if (!(await findOrganization(db, id))) throw notFound('organization', id)
  const admin = actor ? atLeast(await roleIn(db, id, actor.userId), 'admin') : false
  const [parent, children] = await Promise.all([parentLinkOf(db, id), childLinksOf(db, id, admin)])
  return {
    parent: parent && (parent.status === 'confirmed' || admin) ? toParentLink(parent) : null,
    children: children.map(toParentLink),
  }
}

/** `GET /v1/organizations/:id/quotas`: public, so the organizations below know the rule they book under. */
export async function getQuotas(db: Kysely<DB>, id: string): Promise<Quotas> {
  if (!(await findOrganization(db, id))) throw notFound('organization', id)
  return { quotas: (await findQuotas(db, id))?.quotas ?? [] }
}

/** `PUT /v1/organizations/:id/quotas`: the parent's admin replaces its quotas; bookings enforces them. */
export async function setQuotas({ db, clock }: DbClock, actor: Actor, id: string, quotas: Quota[]): Promise<Quotas> {
  await assertRole(db, actor, id, 'admin')
  const sorted = [...quotas].sort((a, b) => a.kind.localeCompare(b.kind))
  await db.transaction().execute(async (trx) => {
    await lockOrganization(trx, id)
    const row = await saveQuotas(trx, id, sorted, clock.now())
    await appendEvent(trx, {
      type: LISTINGS_EVENTS.organizationQuotasChanged,
      entityId: id,
      version: row.version,
      payload: { organizationId: id, quotas: sorted, version: row.version },
    })
  })
  return { quotas: sorted }
}
