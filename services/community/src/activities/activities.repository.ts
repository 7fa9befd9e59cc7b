import { type Kysely, sql, type Transaction } from 'kysely'
import type { ActivityRow, DB } from '../db/schema.ts'
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
