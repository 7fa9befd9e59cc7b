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

/** Starts the organization's feed at generation 1, or moves it to the next one (revoking earlier links). */
export async function bumpCalendarFeed(db: Kysely<DB>, organizationId: string, now: Date): Promise<number> {
  const row = await db
    .insertInto('calendarFeeds')
    .values({ organizationId, generation: 1, updatedAt: now })
    .onConflict((oc) =>
      oc
        .column('organizationId')
        .doUpdateSet({ generation: sql<number>`calendar_feeds.generation + 1`, updatedAt: now }),
    )
    .returning('generation')
    .executeTakeFirstOrThrow()
  return row.generation
}

/** The organization's current feed generation and when it was issued. */
export async function findCalendarFeed(db: Kysely<DB>, organizationId: string) {
  return db
    .selectFrom('calendarFeeds')
    .select(['generation', 'updatedAt'])
    .where('organizationId', '=', organizationId)
    .executeTakeFirst()
}
