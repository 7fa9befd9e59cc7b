import { type Insertable, type Kysely, sql, type Transaction, type Updateable } from 'kysely'
import type { ActivitiesTable, ActivityRow, DB } from '../db/schema.ts'
import type { ActivityCounts } from './activity-dto.ts'

export const findActivity = (db: Kysely<DB>, id: string) =>
  db.selectFrom('activities').selectAll().where('id', '=', id).executeTakeFirst()

/** Locks an activity row: sign-ups, cancellations and edits of one activity take turns on it. */
export const lockActivity = (trx: Transaction<DB>, id: string) =>
  trx.selectFrom('activities').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()

export async function organizationName(db: Kysely<DB>, organizationId: string): Promise<string> {
  const row = await db.selectFrom('organizations').select('name').where('id', '=', organizationId).executeTakeFirst()
  return row?.name ?? ''
}

/** Confirmed places per role and the waitlist of each activity given. */
export async function countsOf(db: Kysely<DB>, ids: string[]): Promise<Map<string, ActivityCounts>> {
  const counts = new Map<string, ActivityCounts>(ids.map((id) => [id, { attendees: 0, volunteers: 0, waitlisted: 0 }]))
  if (ids.length === 0) return counts
  const rows = await db
    .selectFrom('registrations')
    .select(['activityId', 'role', 'status', sql<number>`count(*)::int`.as('n')])
    .where('activityId', 'in', ids)
    .where('status', '<>', 'cancelled')
    .groupBy(['activityId', 'role', 'status'])
    .execute()
  for (const row of rows) {
    const c = counts.get(row.activityId)
    if (!c) continue
    if (row.status === 'waitlisted') c.waitlisted += row.n
    else if (row.role === 'attendee') c.attendees += row.n
    else c.volunteers += row.n
  }
  return counts
}

/** The organizations' names by id. */
export async function namesOf(db: Kysely<DB>, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('organizations').select(['id', 'name']).where('id', 'in', ids).execute()
  return new Map(rows.map((r) => [r.id, r.name]))
}

export type { ActivityRow }

/** A published venue of the organization. */
export const findOwnPublishedVenue = (db: Kysely<DB>, organizationId: string, venueId: string) =>
  db
    .selectFrom('venues')
    .selectAll()
    .where('id', '=', venueId)
    .where('organizationId', '=', organizationId)
    .where('published', '=', true)
    .executeTakeFirst()

export const findVenue = (db: Kysely<DB>, id: string) =>
  db.selectFrom('venues').selectAll().where('id', '=', id).executeTakeFirst()

/** A booking the organization made (as requester). */
export const findOwnBooking = (db: Kysely<DB>, organizationId: string, bookingId: string) =>
  db
    .selectFrom('bookings')
    .selectAll()
    .where('id', '=', bookingId)
    .where('requesterOrganizationId', '=', organizationId)
    .executeTakeFirst()

export async function organizationCity(db: Kysely<DB>, organizationId: string): Promise<string | null> {
  const row = await db.selectFrom('organizations').select('city').where('id', '=', organizationId).executeTakeFirst()
  return row?.city ?? null
}

export const insertActivity = (trx: Transaction<DB>, values: Insertable<ActivitiesTable>) =>
  trx.insertInto('activities').values(values).returningAll().executeTakeFirstOrThrow()

export const updateActivityRow = (trx: Transaction<DB>, id: string, set: Updateable<ActivitiesTable>) =>
  trx.updateTable('activities').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow()

/** Activities ending after `from`, filtered, soonest first, after a keyset position (start, id). */
export function activitiesFrom(
  db: Kysely<DB>,
  query: {
    from: Date
    to?: Date
    organizationId?: string
    district?: string
    targetGroup?: string
    hasVolunteerPlaces?: boolean
    drafts: boolean
    limit: number
  },
  after: readonly [string, string] | undefined,
) {
  let q = db.selectFrom('activities').selectAll().where('endAt', '>', query.from)
  if (query.to) q = q.where('startAt', '<', query.to)
  if (query.organizationId) q = q.where('organizationId', '=', query.organizationId)
  if (query.district) q = q.where('placeDistrict', '=', query.district)
  if (query.targetGroup) q = q.where(sql<boolean>`${query.targetGroup} = any(target_groups)`)
  if (query.hasVolunteerPlaces) q = q.where('volunteerPlaces', '>', 0)
  q = query.drafts ? q.where('status', '<>', 'cancelled') : q.where('status', '=', 'published')
  if (after) {
    const [at, id] = after
    q = q.where((eb) =>
      eb.or([eb('startAt', '>', new Date(at)), eb.and([eb('startAt', '=', new Date(at)), eb('id', '>', id)])]),
    )
  }
  return q
    .orderBy('startAt')
    .orderBy('id')
    .limit(query.limit + 1)
    .execute()
}
