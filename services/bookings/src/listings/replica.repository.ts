import type { Insertable, Kysely, Transaction } from 'kysely'
import type { DB, ListingReplicaRow, ListingReplicaTable } from '../db/schema.ts'

/** The replica of a listing, or undefined when the listings feed has not brought it (yet). */
export function findListing(db: Kysely<DB>, listingId: string): Promise<ListingReplicaRow | undefined> {
  return db.selectFrom('listingReplica').selectAll().where('listingId', '=', listingId).executeTakeFirst()
}

/** Stores a listing unless the replica already holds this version or a newer one. */
export async function upsertListing(trx: Transaction<DB>, row: Insertable<ListingReplicaTable>): Promise<void> {
  await trx
    .insertInto('listingReplica')
    .values(row)
    .onConflict((oc) => oc.column('listingId').doUpdateSet(row).where('listingReplica.version', '<', row.version))
    .execute()
}

/** Moves a listing out of `published` unless the replica already holds this version or a newer one. */
export async function withdrawListing(
  trx: Transaction<DB>,
  change: Pick<ListingReplicaRow, 'listingId' | 'status' | 'version' | 'updatedAt'>,
): Promise<void> {
  await trx
    .updateTable('listingReplica')
    .set({ status: change.status, version: change.version, updatedAt: change.updatedAt })
    .where('listingId', '=', change.listingId)
    .where('version', '<', change.version)
    .execute()
}

/** Titles of listings by id (those the replica holds). */
export async function listingTitles(db: Kysely<DB>, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const rows = await db
    .selectFrom('listingReplica')
    .select(['listingId', 'title'])
    .where('listingId', 'in', [...ids])
    .execute()
  return new Map(rows.map((l) => [l.listingId, l.title]))
}
