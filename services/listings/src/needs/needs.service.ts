import type { Actor, CreateNeedBody, Need, NeedsQuery, UpdateNeedBody } from '@commons/contracts'
import { LISTINGS_EVENTS, NeedFields } from '@commons/contracts'
import { type AnyTransaction, appendEvent, newId } from '@commons/db'
import { invalidTransition, notFound, preconditionFailed, validationFailed } from '@commons/service-kit'
import type { Kysely } from 'kysely'
import type { DB, NeedRow } from '../db/schema.ts'
import { assertRole } from '../organizations/permissions.ts'
import { cursorId, pageById } from '../pagination.ts'
import { findNeed, insertNeed, listOpenNeeds, lockNeed, saveNeed, toNeedDto } from './needs.repository.ts'

/** Appends `need.opened` with the full snapshot (on creation and on every change while open). */
function needOpenedEvent(trx: AnyTransaction, row: NeedRow) {
  return appendEvent(trx, {
    type: LISTINGS_EVENTS.needOpened,
    entityId: row.id,
    version: row.version,
    payload: { need: toNeedDto(row) },
  })
}

/** Posts a need as an organization (any member of it). */
export async function createNeed(db: Kysely<DB>, actor: Actor, body: CreateNeedBody): Promise<Need> {
  const { organizationId, ...fields } = body
  await assertRole(db, actor, organizationId, 'member')
  return db.transaction().execute(async (trx) => {
    const row = await insertNeed(trx, newId(), organizationId, fields)
    await needOpenedEvent(trx, row)
    return toNeedDto(row)
  })
}

/** A need; the board is public, closed needs included. */
export async function getNeed(db: Kysely<DB>, id: string): Promise<Need> {
  const row = await findNeed(db, id)
  if (!row) throw notFound('need', id)
  return toNeedDto(row)
}

/** The need's fields after a merge patch (`null` removes an optional field), validated whole. */
function mergeNeedFields(current: NeedFields, patch: UpdateNeedBody): NeedFields {
  const merged: Record<string, unknown> = { ...current }
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key]
    else if (value !== undefined) merged[key] = value
  }
  const parsed = NeedFields.safeParse(merged)
  if (!parsed.success) {
    throw validationFailed(
      parsed.error.issues.map((i) => ({ path: ['body', ...i.path.map(String)].join('.'), message: i.message })),
    )
  }
  return parsed.data
}

/** Changes an open need (members of its organization; If-Match required). */
export async function updateNeed(
  db: Kysely<DB>,
  actor: Actor,
  id: string,
  patch: UpdateNeedBody,
  ifMatch: number,
): Promise<Need> {
  return db.transaction().execute(async (trx) => {
    const current = (await lockNeed(trx, id)) ?? throwNotFound(id)
    await assertRole(trx, actor, current.organizationId, 'member')
    if (ifMatch !== current.version) throw preconditionFailed()
    if (current.status !== 'open') throw invalidTransition(current.status, 'update')
    const row = await saveNeed(trx, current, { fields: mergeNeedFields(current.details, patch) }, new Date())
    await needOpenedEvent(trx, row)
    return toNeedDto(row)
  })
}

/** Closes an open need (members of its organization). */
export async function closeNeed(db: Kysely<DB>, actor: Actor, id: string, ifMatch?: number): Promise<Need> {
  return db.transaction().execute(async (trx) => {
    const current = (await lockNeed(trx, id)) ?? throwNotFound(id)
    await assertRole(trx, actor, current.organizationId, 'member')
    if (ifMatch !== undefined && ifMatch !== current.version) throw preconditionFailed()
    if (current.status !== 'open') throw invalidTransition(current.status, 'close')
    const now = new Date()
    const row = await saveNeed(trx, current, { status: 'closed', closedAt: now }, now)
    await appendEvent(trx, {
      type: LISTINGS_EVENTS.needClosed,
      entityId: row.id,
      version: row.version,
      payload: { needId: row.id, status: row.status, version: row.version },
    })
    return toNeedDto(row)
  })
}

/** Open needs, newest first, filtered by kind, place or organization. */
export async function listNeeds(db: Kysely<DB>, query: NeedsQuery) {
  const rows = await listOpenNeeds(db, { ...query, afterId: cursorId(query.cursor) })
  return pageById(rows, query.limit, toNeedDto)
}

function throwNotFound(id: string): never {
  throw notFound('need', id)
}
