import { createHash } from 'node:crypto'
import type { Actor, CreateNeedBody, Need, NeedsQuery, UpdateNeedBody } from '@commons/contracts'
import { LISTINGS_EVENTS, NeedFields } from '@commons/contracts'
import { type AnyTransaction, appendEvent, isUniqueViolation, newId } from '@commons/db'
import { invalidTransition, notFound, preconditionFailed, unprocessable, validationFailed } from '@commons/service-kit'
import type { Kysely, Transaction } from 'kysely'
import type { DB, NeedRow } from '../db/schema.ts'
import type { DbClock } from '../deps.ts'
import { assertRole } from '../organizations/permissions.ts'
import { cursorId, pageById } from '../pagination.ts'
import {
  findNeed,
  insertNeed,
  listOpenNeeds,
  lockNeed,
  organizationNames,
  saveNeed,
  toNeedDto,
} from './needs.repository.ts'

/** A need with the name of the organization that posted it. */
async function needDto(db: Kysely<DB>, row: NeedRow): Promise<Need> {
  return toNeedDto(row, (await organizationNames(db, [row.organizationId])).get(row.organizationId))
}

/** Appends `need.opened` with the full snapshot (on creation and on every change while open). */
function needOpenedEvent(trx: AnyTransaction, need: Need) {
  return appendEvent(trx, {
    type: LISTINGS_EVENTS.needOpened,
    entityId: need.id,
    version: need.version,
    payload: { need },
  })
}

const bodyHash = (body: CreateNeedBody) => createHash('sha256').update(JSON.stringify(body)).digest()

/** The need first posted with this key, or undefined; 422 when the key came with another body. */
async function replayedNeed(db: Kysely<DB>, userId: string, key: string, hash: Buffer): Promise<Need | undefined> {
  const seen = await db
    .selectFrom('needRequests')
    .innerJoin('needs', 'needs.id', 'needRequests.needId')
    .selectAll('needs')
    .select('needRequests.bodyHash')
    .where('needRequests.userId', '=', userId)
    .where('needRequests.key', '=', key)
    .executeTakeFirst()
  if (!seen) return undefined
  if (!seen.bodyHash.equals(hash)) {
    throw unprocessable('idempotency_key_reused', 'This Idempotency-Key was used with another need.')
  }
  const { bodyHash: _, ...row } = seen
  return needDto(db, row)
}

async function rememberKey(trx: Transaction<DB>, userId: string, key: string, hash: Buffer, needId: string) {
  await trx.insertInto('needRequests').values({ userId, key, bodyHash: hash, needId }).execute()
}

/**
 * Posts a need as an organization (any member of it). With an Idempotency-Key, posting the same need again
 * (a double tap, a retry after a lost answer) answers the first one instead of adding a copy to the board.
 */
export async function createNeed(
  db: Kysely<DB>,
  actor: Actor,
  body: CreateNeedBody,
  idempotencyKey?: string,
): Promise<{ need: Need; replayed: boolean }> {
  const { organizationId, ...fields } = body
  await assertRole(db, actor, organizationId, 'member')
  const hash = bodyHash(body)
  if (idempotencyKey) {
    const replay = await replayedNeed(db, actor.userId, idempotencyKey, hash)
    if (replay) return { need: replay, replayed: true }
  }
  try {
    const need = await db.transaction().execute(async (trx) => {
      const row = await insertNeed(trx, newId(), organizationId, fields)
      if (idempotencyKey) await rememberKey(trx, actor.userId, idempotencyKey, hash, row.id)
      const need = await needDto(trx, row)
      await needOpenedEvent(trx, need)
      return need
    })
    return { need, replayed: false }
  } catch (error) {
    // Two posts with one key raced: the loser answers the winner's need.
    if (idempotencyKey && isUniqueViolation(error)) {
      const replay = await replayedNeed(db, actor.userId, idempotencyKey, hash)
      if (replay) return { need: replay, replayed: true }
    }
    throw error
  }
}

/** A need; the board is public, closed needs included. */
export async function getNeed(db: Kysely<DB>, id: string): Promise<Need> {
  const row = await findNeed(db, id)
  if (!row) throw notFound('need', id)
  return needDto(db, row)
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
  { db, clock }: DbClock,
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
    const row = await saveNeed(trx, current, { fields: mergeNeedFields(current.details, patch) }, clock.now())
    const need = await needDto(trx, row)
    await needOpenedEvent(trx, need)
    return need
  })
}

/** Closes an open need (members of its organization). */
export async function closeNeed({ db, clock }: DbClock, actor: Actor, id: string, ifMatch?: number): Promise<Need> {
  return db.transaction().execute(async (trx) => {
    const current = (await lockNeed(trx, id)) ?? throwNotFound(id)
    await assertRole(trx, actor, current.organizationId, 'member')
    if (ifMatch !== undefined && ifMatch !== current.version) throw preconditionFailed()
    if (current.status !== 'open') throw invalidTransition(current.status, 'close')
    const now = clock.now()
    const row = await saveNeed(trx, current, { status: 'closed', closedAt: now }, now)
    await appendEvent(trx, {
      type: LISTINGS_EVENTS.needClosed,
      entityId: row.id,
      version: row.version,
      payload: { needId: row.id, status: row.status, version: row.version },
    })
    return needDto(trx, row)
  })
}

/** Open needs, newest first, filtered by kind, place or organization. */
export async function listNeeds(db: Kysely<DB>, query: NeedsQuery) {
  const rows = await listOpenNeeds(db, { ...query, afterId: cursorId(query.cursor) })
  const names = await organizationNames(
    db,
    rows.map((r) => r.organizationId),
  )
  return pageById(rows, query.limit, (row) => toNeedDto(row, names.get(row.organizationId)))
}

function throwNotFound(id: string): never {
  throw notFound('need', id)
}
