import type { Listing, Need } from '@commons/contracts'
import { type Kysely, sql, type Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'
import { type ListingDocument, type NeedDocument, toListingDocument, toNeedDocument } from './documents.ts'

type Db = Kysely<DB> | Transaction<DB>

/** Statuses in which a booking counts towards a listing's popularity. */
const POPULAR_STATUSES = ['confirmed', 'completed']

/** The current index state of listings: a document for each published one, the ids of the others. */
export async function listingDocuments(
  db: Db,
  where: { ids: string[] } | { after: string | null; limit: number } | { changedSince: Date },
): Promise<{ docs: ListingDocument[]; removed: string[]; lastId: string | null }> {
  let query = db
    .selectFrom('listings as l')
    .leftJoin('organizations as o', 'o.id', 'l.organizationId')
    .leftJoin('reputations as r', (join) => join.on('r.subject', '=', 'listing').onRef('r.id', '=', 'l.id'))
    .select([
      'l.id',
      'l.published',
      'l.snapshot',
      'l.organization',
      'o.name as orgName',
      'o.verified as orgVerified',
      'r.average',
      'r.count',
      sql<number>`(select count(*) from bookings b where b.listing_id = l.id and b.holds_slot
        and b.status in (${sql.join(POPULAR_STATUSES)}))`.as('popularity'),
    ])
  if ('ids' in where) {
    if (where.ids.length === 0) return { docs: [], removed: [], lastId: null }
    query = query.where('l.id', 'in', where.ids)
  } else if ('changedSince' in where) {
    query = query.where('l.updatedAt', '>=', where.changedSince)
  } else {
    query = query.where('l.published', '=', true).orderBy('l.id').limit(where.limit)
    if (where.after) query = query.where('l.id', '>', where.after)
  }
  const rows = await query.execute()
  const docs: ListingDocument[] = []
  const removed: string[] = []
  for (const row of rows) {
    if (!row.published || !row.snapshot) {
      removed.push(row.id)
      continue
    }
    const listing = row.snapshot as unknown as Listing
    const snapshotOrg = row.organization as { id: string; name: string; verified: boolean }
    docs.push(
      toListingDocument({
        listing,
        organization: {
          id: listing.organizationId,
          name: row.orgName ?? snapshotOrg.name,
          verified: row.orgVerified ?? snapshotOrg.verified,
        },
        rating: { average: row.average ?? 0, count: row.count ?? 0 },
        popularity: Number(row.popularity),
      }),
    )
  }
  return { docs, removed, lastId: rows.at(-1)?.id ?? null }
}

/** The current index state of needs: a document for each open one, the ids of the others. */
export async function needDocuments(
  db: Db,
  where: { ids: string[] } | { after: string | null; limit: number } | { changedSince: Date },
): Promise<{ docs: NeedDocument[]; removed: string[]; lastId: string | null }> {
  let query = db.selectFrom('needs').select(['id', 'open', 'need'])
  if ('ids' in where) {
    if (where.ids.length === 0) return { docs: [], removed: [], lastId: null }
    query = query.where('id', 'in', where.ids)
  } else if ('changedSince' in where) {
    query = query.where('updatedAt', '>=', where.changedSince)
  } else {
    query = query.where('open', '=', true).orderBy('id').limit(where.limit)
    if (where.after) query = query.where('id', '>', where.after)
  }
  const rows = await query.execute()
  const docs: NeedDocument[] = []
  const removed: string[] = []
  for (const row of rows) {
    if (row.open) docs.push(toNeedDocument(row.need as unknown as Need))
    else removed.push(row.id)
  }
  return { docs, removed, lastId: rows.at(-1)?.id ?? null }
}

/** Marks rows as changed now (clock time, not transaction start), so a running reindex catches them up. */
export async function touch(trx: Transaction<DB>, listingIds: string[], needIds: string[]): Promise<void> {
  if (listingIds.length > 0) {
    await trx
      .updateTable('listings')
      .set({ updatedAt: sql<Date>`clock_timestamp()` })
      .where('id', 'in', listingIds)
      .execute()
  }
  if (needIds.length > 0) {
    await trx.updateTable('needs').set({ updatedAt: sql<Date>`clock_timestamp()` }).where('id', 'in', needIds).execute()
  }
}
