import type { Insertable, Kysely, Transaction, Updateable } from 'kysely'
import { z } from 'zod'
import type { Keyset } from '../db/keyset.ts'
import type {
  DB,
  RatingAuditTable,
  RatingReportsTable,
  RatingRow,
  RatingsTable,
  RatingWindowRow,
  RatingWindowsTable,
} from '../db/schema.ts'

// --- Rating windows ---

/** When the booking completed, from its audit trail (the last move into `completed`). */
export async function completedAtOf(db: Kysely<DB>, bookingId: string): Promise<Date | undefined> {
  const row = await db
    .selectFrom('bookingAudit')
    .select('at')
    .where('bookingId', '=', bookingId)
    .where('toStatus', '=', 'completed')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row?.at
}

/** The rating window of a booking, unlocked. */
export function findWindow(db: Kysely<DB>, bookingId: string): Promise<RatingWindowRow | undefined> {
  return db.selectFrom('ratingWindows').selectAll().where('bookingId', '=', bookingId).executeTakeFirst()
}

/** The rating window of a booking, locked. */
export function lockWindowRow(trx: Transaction<DB>, bookingId: string): Promise<RatingWindowRow | undefined> {
  return trx.selectFrom('ratingWindows').selectAll().where('bookingId', '=', bookingId).forUpdate().executeTakeFirst()
}

/** Opens a booking's window unless one exists (two openers may race; the first wins). True if this one did. */
export async function insertWindow(trx: Transaction<DB>, row: Insertable<RatingWindowsTable>): Promise<boolean> {
  const inserted = await trx
    .insertInto('ratingWindows')
    .values(row)
    .onConflict((oc) => oc.column('bookingId').doNothing())
    .returning('bookingId')
    .executeTakeFirst()
  return inserted !== undefined
}

/** Marks a window published. */
export async function markWindowPublished(trx: Transaction<DB>, bookingId: string, now: Date): Promise<void> {
  await trx.updateTable('ratingWindows').set({ publishedAt: now }).where('bookingId', '=', bookingId).execute()
}

/** Voids a booking's window unless it was published (or voided) already. */
export async function voidOpenWindow(trx: Transaction<DB>, bookingId: string, now: Date): Promise<void> {
  await trx
    .updateTable('ratingWindows')
    .set({ voidedAt: now })
    .where('bookingId', '=', bookingId)
    .where('publishedAt', 'is', null)
    .where('voidedAt', 'is', null)
    .execute()
}

// --- Ratings ---

export function findRating(db: Kysely<DB>, id: string): Promise<RatingRow | undefined> {
  return db.selectFrom('ratings').selectAll().where('id', '=', id).executeTakeFirst()
}

export function lockRating(trx: Transaction<DB>, id: string): Promise<RatingRow | undefined> {
  return trx.selectFrom('ratings').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

/** The ratings of a booking, oldest first. */
export function ratingsOfBooking(db: Kysely<DB>, bookingId: string): Promise<RatingRow[]> {
  return db.selectFrom('ratings').selectAll().where('bookingId', '=', bookingId).orderBy('createdAt').execute()
}

/** Inserts a rating; `ratings_one_per_side` refuses a second one of the same side. */
export function insertRating(trx: Transaction<DB>, row: Insertable<RatingsTable>): Promise<RatingRow> {
  return trx.insertInto('ratings').values(row).returningAll().executeTakeFirstOrThrow()
}

/** How many sides have rated a booking. */
export async function countRatings(trx: Transaction<DB>, bookingId: string): Promise<number> {
  const row = await trx
    .selectFrom('ratings')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('bookingId', '=', bookingId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Changes a rating and returns it. */
export function updateRatingRow(trx: Transaction<DB>, id: string, changes: Updateable<RatingsTable>) {
  return trx.updateTable('ratings').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
}

/** Publishes a booking's unpublished ratings; returns them. */
export function publishRatingsOf(trx: Transaction<DB>, bookingId: string, now: Date): Promise<RatingRow[]> {
  return trx
    .updateTable('ratings')
    .set({ publishedAt: now })
    .where('bookingId', '=', bookingId)
    .where('publishedAt', 'is', null)
    .returningAll()
    .execute()
}

// --- Replies, reports, moderation audit ---

/** The replies of ratings, by rating id. */
export async function repliesOf(db: Kysely<DB>, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, { body: string; createdAt: Date }>()
  const rows = await db
    .selectFrom('ratingReplies')
    .selectAll()
    .where('ratingId', 'in', [...ids])
    .execute()
  return new Map(rows.map((r) => [r.ratingId, r]))
}

/** Stores a rating's reply; undefined when it already has one. */
export function insertReply(
  db: Kysely<DB>,
  row: { ratingId: string; authorUserId: string; body: string; createdAt: Date },
) {
  return db
    .insertInto('ratingReplies')
    .values(row)
    .onConflict((oc) => oc.column('ratingId').doNothing())
    .returningAll()
    .executeTakeFirst()
}

/** Stores a report; a reporter's second report of one rating replaces the first. */
export async function upsertReport(db: Kysely<DB>, row: Insertable<RatingReportsTable>): Promise<void> {
  await db
    .insertInto('ratingReports')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['ratingId', 'reporterUserId']).doUpdateSet({ reason: row.reason, createdAt: row.createdAt }),
    )
    .execute()
}

/** Appends a moderation step to the ratings' audit trail. */
export async function insertRatingAudit(trx: Transaction<DB>, row: Insertable<RatingAuditTable>): Promise<void> {
  await trx.insertInto('ratingAudit').values(row).execute()
}

// --- Lists (keyset-paged, newest first) ---

/** Published ratings by publication, then id. */
export const publishedKeyset: Keyset<RatingRow, { p: string; id: string }> = {
  columns: ['publishedAt', 'id'],
  cursor: z.object({ p: z.string(), id: z.uuid() }),
  after: (c) => [new Date(c.p), c.id],
  position: (last) => ({ p: last.publishedAt!.toISOString(), id: last.id }),
}

/** Published ratings that no moderator hid, filtered by what they rate. */
export function publishedRatings(
  db: Kysely<DB>,
  q: {
    listingId?: string | undefined
    organizationId?: string | undefined
    memberId?: string | undefined
    role?: 'provider' | 'requester' | undefined
    /** Only ratings given by these organizations. */
    raterOrganizationIds?: string[] | undefined
  },
) {
  let query = db.selectFrom('ratings').selectAll().where('publishedAt', 'is not', null).where('hiddenAt', 'is', null)
  if (q.listingId) query = query.where('listingId', '=', q.listingId).where('side', '=', 'requester')
  if (q.memberId) query = query.where('rateeMemberId', '=', q.memberId)
  if (q.raterOrganizationIds) query = query.where('raterOrganizationId', 'in', q.raterOrganizationIds)
  if (q.organizationId) {
    query = query.where('rateeOrganizationId', '=', q.organizationId)
    if (q.role) query = query.where('side', '=', q.role === 'provider' ? 'requester' : 'provider')
  }
  return query
}

type ReportRow = { ratingId: string; reporterUserId: string; reason: string; createdAt: Date }

/** Reports by time, then rating and reporter (one report per reporter and rating). */
export const reportsKeyset: Keyset<ReportRow, { p: string; r: string; u: string }> = {
  columns: ['createdAt', 'ratingId', 'reporterUserId'],
  cursor: z.object({ p: z.string(), r: z.uuid(), u: z.uuid() }),
  after: (c) => [new Date(c.p), c.r, c.u],
  position: (last) => ({ p: last.createdAt.toISOString(), r: last.ratingId, u: last.reporterUserId }),
}

export const reports = (db: Kysely<DB>) => db.selectFrom('ratingReports').selectAll()

/** Ratings by id (any state: moderators look at hidden and unpublished ones too). */
export async function ratingsByIds(db: Kysely<DB>, ids: readonly string[]): Promise<RatingRow[]> {
  if (ids.length === 0) return []
  return db.selectFrom('ratings').selectAll().where('id', 'in', ids).execute()
}

/** What a moderator needs of the bookings rated: the listing's title and the time. */
export async function bookingsOfRatings(db: Kysely<DB>, ids: readonly string[]) {
  if (ids.length === 0) return []
  return db.selectFrom('bookings').select(['id', 'listingTitle', 'startAt', 'endAt']).where('id', 'in', ids).execute()
}

/** Removes every report against a rating; returns how many there were. */
export async function deleteReportsOf(trx: Transaction<DB>, ratingId: string): Promise<number> {
  const result = await trx.deleteFrom('ratingReports').where('ratingId', '=', ratingId).executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** Hidden ratings by the hide's time, then id. */
export const hiddenKeyset: Keyset<RatingRow, { h: string; id: string }> = {
  columns: ['hiddenAt', 'id'],
  cursor: z.object({ h: z.iso.datetime(), id: z.uuid() }),
  after: (c) => [new Date(c.h), c.id],
  position: (last) => ({ h: last.hiddenAt!.toISOString(), id: last.id }),
}

export const hiddenRatings = (db: Kysely<DB>) => db.selectFrom('ratings').selectAll().where('hiddenAt', 'is not', null)

type AuditRow = {
  id: number
  ratingId: string
  action: RatingAuditTable['action']
  actorUserId: string | null
  reason: string | null
  at: Date
}

/**
 * Moderation steps by time; the identity id breaks ties between steps of the same millisecond, so the
 * keyset is total and pages never repeat a row.
 */
export const auditKeyset: Keyset<AuditRow, { a: string; id: number }> = {
  columns: ['at', 'id'],
  cursor: z.object({ a: z.iso.datetime(), id: z.number().int().positive() }),
  after: (c) => [new Date(c.a), c.id],
  position: (last) => ({ a: last.at.toISOString(), id: last.id }),
}

export const ratingAudit = (db: Kysely<DB>) => db.selectFrom('ratingAudit').selectAll()
