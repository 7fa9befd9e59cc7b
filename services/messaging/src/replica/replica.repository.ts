import { SLOT_HOLDING_STATUSES } from '@commons/contracts'
import type { Insertable, Kysely, Transaction } from 'kysely'
import type { BookingRow, DB, ListingsTable, NeedsTable } from '../db/schema.ts'

type Reader = Pick<Transaction<DB>, 'selectFrom'>
type Organization = { id: string; name: string; verified: boolean; version: number }
type Member = { userId: string; displayName: string; role: 'owner' | 'admin' | 'member' }

const DAY = 86_400_000

export function findOrganization(db: Reader, id: string) {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function saveOrganization(trx: Transaction<DB>, row: Organization) {
  await trx
    .insertInto('organizations')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .execute()
}

/**
 * Replaces an organization's members as of `version`. A feed that starts mid-history gets the members
 * under a placeholder organization until the organization's next update names it.
 */
export async function replaceMembers(trx: Transaction<DB>, organizationId: string, version: number, members: Member[]) {
  await trx
    .insertInto('organizations')
    .values({ id: organizationId, name: '', verified: false, version: 0, membersVersion: version })
    .onConflict((oc) => oc.column('id').doUpdateSet({ membersVersion: version }))
    .execute()
  await trx.deleteFrom('members').where('organizationId', '=', organizationId).execute()
  if (members.length > 0) {
    await trx
      .insertInto('members')
      .values(members.map((m) => ({ organizationId, ...m })))
      .execute()
  }
}

export function findListing(db: Reader, id: string) {
  return db.selectFrom('listings').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function saveListing(trx: Transaction<DB>, row: Insertable<ListingsTable>) {
  await trx
    .insertInto('listings')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .execute()
}

/** A newer status of a replicated listing or need (older versions change nothing). */
export async function saveStatus(
  trx: Transaction<DB>,
  table: 'listings' | 'needs',
  id: string,
  status: string,
  version: number,
) {
  await trx.updateTable(table).set({ status, version }).where('id', '=', id).where('version', '<', version).execute()
}

export function findNeed(db: Reader, id: string) {
  return db.selectFrom('needs').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function saveNeed(trx: Transaction<DB>, row: Insertable<NeedsTable>) {
  await trx
    .insertInto('needs')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .execute()
}

/** Published listings of a kind in a city, of organizations other than `exceptOrganizationId`, with snapshots. */
export function publishedListingsLike(db: Reader, q: { kind: string; city: string; exceptOrganizationId: string }) {
  return db
    .selectFrom('listings')
    .select(['id', 'organizationId', 'snapshot'])
    .where('status', '=', 'published')
    .where('kind', '=', q.kind)
    .where('city', '=', q.city)
    .where('snapshot', 'is not', null)
    .where('organizationId', '!=', q.exceptOrganizationId)
    .execute()
}

/**
 * Slot-holding bookings of the listings near [start, end), without buffers, by listing. Widened by a day:
 * a listing's own buffer (at most 4 h) extends the window before the rule compares.
 */
export async function busyByListing(db: Reader, ids: string[], start: Date, end: Date) {
  const byListing = new Map<string, Array<{ start: Date; end: Date }>>()
  if (ids.length === 0) return byListing
  const rows = await db
    .selectFrom('bookings')
    .select(['listingId', 'startAt', 'endAt'])
    .where('listingId', 'in', ids)
    .where('status', 'in', [...SLOT_HOLDING_STATUSES])
    .where('startAt', '<', new Date(end.getTime() + DAY))
    .where('endAt', '>', new Date(start.getTime() - DAY))
    .execute()
  for (const r of rows)
    byListing.set(r.listingId, [...(byListing.get(r.listingId) ?? []), { start: r.startAt, end: r.endAt }])
  return byListing
}

export function findBooking(db: Reader, id: string) {
  return db.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function saveBooking(trx: Transaction<DB>, row: BookingRow) {
  await trx
    .insertInto('bookings')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .execute()
}

export async function listingTitle(db: Reader, id: string): Promise<string | undefined> {
  return (await db.selectFrom('listings').select('title').where('id', '=', id).executeTakeFirst())?.title
}

export async function organizationName(db: Reader | Kysely<DB>, id: string): Promise<string | undefined> {
  return (await db.selectFrom('organizations').select('name').where('id', '=', id).executeTakeFirst())?.name
}
