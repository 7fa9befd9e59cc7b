import type { Activity, Listing, Need } from '@commons/contracts'
import { type Kysely, sql, type Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'
import {
  type ActivityDocument,
  type ListingDocument,
  type NeedDocument,
  toActivityDocument,
  toListingDocument,
  toNeedDocument,
} from './documents.ts'

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
    .leftJoin('organizationScorecards as sc', 'sc.id', 'l.organizationId')
    .select([
      sql<boolean>`coalesce(sc.badge and not sc.rectifying, false)`.as('badge'),
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
          badge: row.badge,
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

/**
 * The current index state of activities: a document for each listed one that has not ended by `now`, the
 * ids of the others (an ended activity is removed when next touched; search filters by end time anyway).
 */
export async function activityDocuments(
  db: Db,
  where: { ids: string[] } | { after: string | null; limit: number } | { changedSince: Date },
): Promise<{ docs: ActivityDocument[]; removed: string[]; lastId: string | null }> {
  let query = db
    .selectFrom('activities as a')
    .leftJoin('organizationScorecards as sc', 'sc.id', 'a.organizationId')
    .select([
      'a.id',
      'a.listed',
      'a.snapshot',
      'a.city',
      sql<boolean>`coalesce(sc.badge and not sc.rectifying, false)`.as('badge'),
    ])
  if ('ids' in where) {
    if (where.ids.length === 0) return { docs: [], removed: [], lastId: null }
    query = query.where('a.id', 'in', where.ids)
  } else if ('changedSince' in where) {
    query = query.where('a.updatedAt', '>=', where.changedSince)
  } else {
    query = query.where('a.listed', '=', true).orderBy('a.id').limit(where.limit)
    if (where.after) query = query.where('a.id', '>', where.after)
  }
  const rows = await query.execute()
  const docs: ActivityDocument[] = []
  const removed: string[] = []
  for (const row of rows) {
    if (!row.listed) removed.push(row.id)
    else docs.push(toActivityDocument(row.snapshot as unknown as Activity, row.city, row.badge))
  }
  return { docs, removed, lastId: rows.at(-1)?.id ?? null }
}

/** Marks rows as changed now (clock time, not transaction start), so a running reindex catches them up. */
export async function touch(
  trx: Transaction<DB>,
  listingIds: string[],
  needIds: string[],
  activityIds: string[] = [],
): Promise<void> {
  if (activityIds.length > 0) {
    await trx
      .updateTable('activities')
      .set({ updatedAt: sql<Date>`clock_timestamp()` })
      .where('id', 'in', activityIds)
      .execute()
  }
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
