import { type Kysely, sql } from 'kysely'
import type { BookingRow, DB } from '../db/schema.ts'

/** Whose bookings a feed shows: one listing's, or an organization's on either side. */
export type CalendarScope = { listingId: string } | { organizationId: string }

/** The bookings of a scope that overlap `[from, to)`, by start. */
export async function bookingsBetween(
  db: Kysely<DB>,
  scope: CalendarScope,
  from: Date,
  to: Date,
): Promise<BookingRow[]> {
  let query = db.selectFrom('bookings').selectAll().where('endAt', '>', from).where('startAt', '<', to)
  if ('listingId' in scope) query = query.where('listingId', '=', scope.listingId)
  else {
    const id = scope.organizationId
    query = query.where((eb) => eb.or([eb('requesterOrganizationId', '=', id), eb('providerOrganizationId', '=', id)]))
  }
  return query.orderBy('startAt').execute()
}

/** Who issued an organization's feed link, and under which membership snapshot. */
export interface FeedIssue {
  issuedBy: string
  issuedMembersVersion: number
  updatedAt: Date
}

/** Starts the organization's feed at generation 1, or moves it to the next one (revoking earlier links). */
export async function bumpCalendarFeed(db: Kysely<DB>, organizationId: string, issued: FeedIssue): Promise<number> {
  const row = await db
    .insertInto('calendarFeeds')
    .values({ organizationId, generation: 1, ...issued })
    .onConflict((oc) =>
      oc.column('organizationId').doUpdateSet({ generation: sql<number>`calendar_feeds.generation + 1`, ...issued }),
    )
    .returning('generation')
    .executeTakeFirstOrThrow()
  return row.generation
}

/** The organization's feed: its generation, when it was issued and by whom. */
export async function findCalendarFeed(db: Kysely<DB>, organizationId: string) {
  return db
    .selectFrom('calendarFeeds')
    .select(['generation', 'updatedAt', 'issuedBy', 'issuedMembersVersion'])
    .where('organizationId', '=', organizationId)
    .executeTakeFirst()
}
