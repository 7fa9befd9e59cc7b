import type { ListingKind, Need, NeedFields } from '@commons/contracts'
import type { Kysely, Transaction } from 'kysely'
import type { DB, NeedRow } from '../db/schema.ts'

/** A need as the API shows it, with the name of the organization that posted it when known. */
export function toNeedDto(row: NeedRow, organizationName?: string): Need {
  return {
    ...row.details,
    id: row.id,
    organizationId: row.organizationId,
    ...(organizationName === undefined ? {} : { organizationName }),
    status: row.status,
    ...(row.surveyId ? { surveyId: row.surveyId } : {}),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

const fieldColumns = (fields: NeedFields) => ({
  kind: fields.kind,
  city: fields.city,
  district: fields.district,
  details: JSON.stringify(fields),
})

export function findNeed(db: Kysely<DB>, id: string) {
  return db.selectFrom('needs').selectAll().where('id', '=', id).executeTakeFirst()
}

export function lockNeed(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('needs').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export function insertNeed(trx: Transaction<DB>, id: string, organizationId: string, fields: NeedFields) {
  return trx
    .insertInto('needs')
    .values({ id, organizationId, ...fieldColumns(fields), closedAt: null })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Writes a need's next state and bumps its version. */
export function saveNeed(
  trx: Transaction<DB>,
  current: NeedRow,
  changes: { fields?: NeedFields; status?: 'open' | 'closed'; closedAt?: Date },
  now: Date,
) {
  const { fields, ...rest } = changes
  return trx
    .updateTable('needs')
    .set({ ...(fields ? fieldColumns(fields) : {}), ...rest, version: current.version + 1, updatedAt: now })
    .where('id', '=', current.id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Names of organizations by id. */
export async function organizationNames(db: Kysely<DB>, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const rows = await db
    .selectFrom('organizations')
    .select(['id', 'name'])
    .where('id', 'in', [...new Set(ids)])
    .execute()
  return new Map(rows.map((r) => [r.id, r.name]))
}

export interface NeedFilter {
  /** `open` (the board) unless `all`, which a group uses to see its own closed needs too. */
  status?: 'open' | 'closed' | 'all'
  kind?: ListingKind
  city?: string
  district?: string
  organizationId?: string
  afterId?: string
  limit: number
}

/** Up to `limit + 1` needs (open ones unless the filter says otherwise), newest first. */
export function listOpenNeeds(db: Kysely<DB>, f: NeedFilter) {
  let q = db.selectFrom('needs').selectAll()
  const status = f.status ?? 'open'
  if (status !== 'all') q = q.where('status', '=', status)
  if (f.kind) q = q.where('kind', '=', f.kind)
  if (f.city) q = q.where('city', '=', f.city)
  if (f.district) q = q.where('district', '=', f.district)
  if (f.organizationId) q = q.where('organizationId', '=', f.organizationId)
  if (f.afterId) q = q.where('id', '<', f.afterId)
  return q
    .orderBy('id', 'desc')
    .limit(f.limit + 1)
    .execute()
}
