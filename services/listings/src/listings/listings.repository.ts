import type { Listing, ListingFields, ListingKind, ListingStatus, OrganizationSummary } from '@commons/contracts'
import type { Kysely, Transaction } from 'kysely'
import type { DB, ListingRow, OrganizationRow } from '../db/schema.ts'

/** A listing as the API shows it: its fields with the server-set facts. */
export function toListingDto(row: ListingRow): Listing {
  return {
    ...row.details,
    id: row.id,
    organizationId: row.organizationId,
    status: row.status,
    version: row.version,
    rejectionReason: row.rejectionReason,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    publishedAt: row.publishedAt?.toISOString() ?? null,
  }
}

export const toOrganizationSummary = (row: OrganizationRow): OrganizationSummary => ({
  id: row.id,
  name: row.name,
  kind: row.kind as OrganizationSummary['kind'],
  verified: row.verified,
})

/** The columns copied out of the fields document, so lists filter without reaching into jsonb. */
export const fieldColumns = (fields: ListingFields) => ({
  kind: fields.kind,
  title: fields.title,
  city: fields.location.city,
  district: fields.location.district,
  details: JSON.stringify(fields),
})

export function findListing(db: Kysely<DB>, id: string) {
  return db.selectFrom('listings').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Locks a listing row: changes of one listing serialise, so versions never fork. */
export function lockListing(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('listings').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export function insertListing(trx: Transaction<DB>, id: string, organizationId: string, fields: ListingFields) {
  return trx
    .insertInto('listings')
    .values({ id, organizationId, ...fieldColumns(fields), rejectionReason: null, publishedAt: null })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Writes a listing's next state and bumps its version. */
export function saveListing(
  trx: Transaction<DB>,
  current: ListingRow,
  changes: {
    fields?: ListingFields
    status?: ListingStatus
    rejectionReason?: string | null
    publishedAt?: Date | null
  },
  now: Date,
) {
  const { fields, ...rest } = changes
  return trx
    .updateTable('listings')
    .set({
      ...(fields ? fieldColumns(fields) : {}),
      ...rest,
      version: current.version + 1,
      updatedAt: now,
    })
    .where('id', '=', current.id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export interface ListingFilter {
  organizationId?: string
  statuses?: ListingStatus[]
  kind?: ListingKind
  afterId?: string
  limit: number
  /** Newest first for an organization's own list; oldest first for the review queue. */
  order: 'asc' | 'desc'
}

/** Up to `limit + 1` listings matching the filter, in id (creation) order. */
export function listListings(db: Kysely<DB>, f: ListingFilter) {
  let q = db.selectFrom('listings').selectAll()
  if (f.organizationId) q = q.where('organizationId', '=', f.organizationId)
  if (f.statuses) q = q.where('status', 'in', f.statuses)
  if (f.kind) q = q.where('kind', '=', f.kind)
  if (f.afterId) q = q.where('id', f.order === 'asc' ? '>' : '<', f.afterId)
  return q
    .orderBy('id', f.order)
    .limit(f.limit + 1)
    .execute()
}
