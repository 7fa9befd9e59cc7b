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

/**
 * Inserts a sign-up, confirmed while the role has places left and waitlisted after, with a 6-digit check-in
 * code no live sign-up of the activity has. Called with the activity locked, so the count cannot change
 * meanwhile; one statement, so the lock is held for one round trip.
 */
export async function insertRegistration(
  trx: Transaction<DB>,
  r: {
    id: string
    activityId: string
    userId: string
    displayName: string
    role: RegistrationRow['role']
    partyMember: boolean
    places: number
    idempotencyKey: string | null
    now: Date
  },
): Promise<RegistrationRow> {
  const { rows } = await sql<RegistrationRow>`
    insert into registrations
      (id, activity_id, user_id, display_name, role, party_member, status, code, idempotency_key, created_at, updated_at)
    select ${r.id}, ${r.activityId}, ${r.userId}, ${r.displayName}, ${r.role}, ${r.partyMember},
      case when (
        select count(*) from registrations
        where activity_id = ${r.activityId} and role = ${r.role} and status = 'confirmed'
      ) < ${r.places} then 'confirmed' else 'waitlisted' end,
      (
        select c from (
          select lpad(floor(random() * 1000000)::int::text, 6, '0') as c from generate_series(1, 32)
        ) candidates
        where c not in (
          select code from registrations where activity_id = ${r.activityId} and status <> 'cancelled'
        )
        limit 1
      ),
      ${r.idempotencyKey}, ${r.now}, ${r.now}
    returning *
  `.execute(trx)
  return rows[0] as RegistrationRow
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

/** Ends every live sign-up of an activity; resolves the sign-ups ended. */
export const cancelRegistrationsOf = (trx: Transaction<DB>, activityId: string, now: Date) =>
  trx
    .updateTable('registrations')
    .set({ status: 'cancelled', updatedAt: now })
    .where('activityId', '=', activityId)
    .where('status', '<>', 'cancelled')
    .returning(['id', 'userId', 'role'])
    .execute()

export async function cancelRegistration(trx: Transaction<DB>, id: string, now: Date): Promise<void> {
  await trx.updateTable('registrations').set({ status: 'cancelled', updatedAt: now }).where('id', '=', id).execute()
}

/** Confirmed sign-ups of an activity (of one role, when given) who were checked in, by arrival at the door. */
export const checkedIn = (db: Kysely<DB>, activityId: string, role?: RegistrationRow['role']) => {
  let q = db
    .selectFrom('registrations')
    .selectAll()
    .where('activityId', '=', activityId)
    .where('status', '=', 'confirmed')
    .where('checkedInAt', 'is not', null)
  if (role) q = q.where('role', '=', role)
  return q.orderBy('checkedInAt').execute()
}

/** Confirmed sign-ups of an activity. */
export const confirmedOf = (db: Kysely<DB>, activityId: string) =>
  db
    .selectFrom('registrations')
    .select(['id', 'userId', 'role'])
    .where('activityId', '=', activityId)
    .where('status', '=', 'confirmed')
    .execute()

/** Records the confirmed sign-ups of an activity never checked in as no-shows. */
export async function markNoShows(trx: Transaction<DB>, activityId: string, now: Date): Promise<void> {
  await trx
    .updateTable('registrations')
    .set({ noShow: true, updatedAt: now })
    .where('activityId', '=', activityId)
    .where('status', '=', 'confirmed')
    .where('checkedInAt', 'is', null)
    .execute()
}

/** A person's live sign-ups, latest activity first. */
export const liveRegistrationsOf = (db: Kysely<DB>, userId: string) =>
  db
    .selectFrom('registrations')
    .innerJoin('activities', 'activities.id', 'registrations.activityId')
    .selectAll('registrations')
    .where('registrations.userId', '=', userId)
    .where('registrations.status', '<>', 'cancelled')
    .orderBy('activities.startAt', 'desc')
    .limit(100)
    .execute()

/** Every sign-up of an activity, by arrival. */
export const registrationsOf = (db: Kysely<DB>, activityId: string) =>
  db.selectFrom('registrations').selectAll().where('activityId', '=', activityId).orderBy('seq').execute()

/** A live sign-up of an activity by its check-in code or its id. */
export function findLiveByCodeOrId(
  db: Kysely<DB>,
  activityId: string,
  by: { code: string } | { registrationId: string },
) {
  const q = db
    .selectFrom('registrations')
    .selectAll()
    .where('activityId', '=', activityId)
    .where('status', '<>', 'cancelled')
  return ('code' in by ? q.where('code', '=', by.code) : q.where('id', '=', by.registrationId)).executeTakeFirst()
}

export const recordCheckIn = (trx: Transaction<DB>, id: string, at: Date, late: boolean) =>
  trx
    .updateTable('registrations')
    .set({ checkedInAt: at, late, updatedAt: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
