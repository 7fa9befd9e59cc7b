import { randomInt } from 'node:crypto'
import { type Kysely, sql, type Transaction } from 'kysely'
import type { DB, RegistrationRow } from '../db/schema.ts'

/** The live (not cancelled) sign-up of a person for an activity. */
export const findLiveRegistration = (db: Kysely<DB>, activityId: string, userId: string) =>
  db
    .selectFrom('registrations')
    .selectAll()
    .where('activityId', '=', activityId)
    .where('userId', '=', userId)
    .where('status', '<>', 'cancelled')
    .executeTakeFirst()

export const findByIdempotencyKey = (db: Kysely<DB>, userId: string, key: string) =>
  db
    .selectFrom('registrations')
    .selectAll()
    .where('userId', '=', userId)
    .where('idempotencyKey', '=', key)
    .executeTakeFirst()

/** Confirmed sign-ups of a role; called with the activity locked, so the count cannot change meanwhile. */
export async function confirmedCount(trx: Transaction<DB>, activityId: string, role: RegistrationRow['role']) {
  const row = await trx
    .selectFrom('registrations')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('activityId', '=', activityId)
    .where('role', '=', role)
    .where('status', '=', 'confirmed')
    .executeTakeFirstOrThrow()
  return row.n
}

/** A 6-digit check-in code no live sign-up of the activity has (the activity is locked by the caller). */
export async function freshCode(trx: Transaction<DB>, activityId: string): Promise<string> {
  for (;;) {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
    const taken = await trx
      .selectFrom('registrations')
      .select('id')
      .where('activityId', '=', activityId)
      .where('code', '=', code)
      .where('status', '<>', 'cancelled')
      .executeTakeFirst()
    if (!taken) return code
  }
}

/** The 1-based waitlist position of every waitlisted sign-up of an activity, by arrival. */
export async function waitlistPositions(db: Kysely<DB>, activityId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('registrations')
    .select(['id', sql<number>`row_number() over (partition by role order by seq)::int`.as('position')])
    .where('activityId', '=', activityId)
    .where('status', '=', 'waitlisted')
    .execute()
  return new Map(rows.map((r) => [r.id, r.position]))
}

/** Moves the first waitlisted sign-up of a role up into a place that became free. */
export async function promoteNext(
  trx: Transaction<DB>,
  activityId: string,
  role: RegistrationRow['role'],
  now: Date,
): Promise<RegistrationRow | undefined> {
  const next = await trx
    .selectFrom('registrations')
    .select('id')
    .where('activityId', '=', activityId)
    .where('role', '=', role)
    .where('status', '=', 'waitlisted')
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst()
  if (!next) return undefined
  return trx
    .updateTable('registrations')
    .set({ status: 'confirmed', updatedAt: now })
    .where('id', '=', next.id)
    .returningAll()
    .executeTakeFirst()
}
