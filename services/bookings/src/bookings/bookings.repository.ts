import type { BookingActorRole, BookingHistoryAction, BookingStatus } from '@commons/contracts'
import { SLOT_HOLDING_STATUSES } from '@commons/contracts'
import { type Insertable, type Kysely, type Selectable, sql, type Transaction } from 'kysely'
import type { BookingAuditTable, BookingRow, BookingsTable, DB, IdempotencyKeysTable } from '../db/schema.ts'

/**
 * Slot-holding bookings of a listing whose busy range touches [from, to), as [start, end) in epoch ms.
 * One row of two float8 arrays: a 90-day window holds hundreds of bookings, and parsing that many
 * timestamptz values into Dates row by row cost more than the computation that uses them.
 */
export async function busyBookings(
  db: Kysely<DB>,
  listingId: string,
  from: Date,
  to: Date,
): Promise<Array<{ start: number; end: number }>> {
  const { rows } = await sql<{ starts: number[]; ends: number[] }>`
    select coalesce(array_agg(extract(epoch from start_at)::float8 * 1000), '{}') as starts,
           coalesce(array_agg(extract(epoch from end_at)::float8 * 1000), '{}') as ends
    from bookings
    where listing_id = ${listingId}
      and status in (${sql.join([...SLOT_HOLDING_STATUSES])})
      and tstzrange(start_at, busy_until, '[)') && tstzrange(${from}, ${to}, '[)')`.execute(db)
  const { starts = [], ends = [] } = rows[0] ?? {}
  return starts.map((start, i) => ({ start, end: ends[i]! }))
}

/** Inserts a booking; the exclusion constraint refuses one that overlaps a slot-holding booking. */
export async function insertBooking(trx: Transaction<DB>, row: Insertable<BookingsTable>): Promise<BookingRow> {
  return trx.insertInto('bookings').values(row).returningAll().executeTakeFirstOrThrow()
}

/** A booking by id, unlocked. */
export function findBooking(db: Kysely<DB>, id: string): Promise<BookingRow | undefined> {
  return db.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Locks a booking for a transition. */
export function lockBooking(trx: Transaction<DB>, id: string): Promise<BookingRow | undefined> {
  return trx.selectFrom('bookings').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

/** Moves a booking to its next state; every change bumps the version (calendars and consumers rely on it). */
export async function saveBooking(
  trx: Transaction<DB>,
  id: string,
  changes: {
    status: BookingStatus
    paymentStatus: BookingRow['paymentStatus']
    reason: string | null
    refundedAmount?: number
    now: Date
  },
): Promise<BookingRow> {
  return trx
    .updateTable('bookings')
    .set({
      status: changes.status,
      paymentStatus: changes.paymentStatus,
      reason: changes.reason,
      ...(changes.refundedAmount === undefined ? {} : { refundedAmount: changes.refundedAmount }),
      updatedAt: changes.now,
      version: sql<number>`version + 1`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Appends a step to the booking's audit trail. */
export async function audit(
  trx: Transaction<DB>,
  entry: {
    bookingId: string
    actorUserId: string | null
    actorRole: BookingActorRole
    action: BookingHistoryAction
    fromStatus: BookingStatus | null
    toStatus: BookingStatus
    reason: string | null
    moderatorOverride: boolean
    at: Date
  },
): Promise<void> {
  await trx.insertInto('bookingAudit').values(entry).execute()
}

/** The audit trail of a booking in the order it was written (the booking row lock serialises its steps). */
export function auditTrail(db: Kysely<DB>, bookingId: string): Promise<Selectable<BookingAuditTable>[]> {
  return db.selectFrom('bookingAudit').selectAll().where('bookingId', '=', bookingId).orderBy('id').execute()
}

/** Bookings of an organization, newest first, after a cursor id. */
export function listBookings(
  db: Kysely<DB>,
  q: { as: 'requester' | 'provider'; organizationId: string; status?: BookingStatus; afterId?: string; limit: number },
) {
  let select = db
    .selectFrom('bookings')
    .selectAll()
    .where(q.as === 'requester' ? 'requesterOrganizationId' : 'providerOrganizationId', '=', q.organizationId)
  if (q.status) select = select.where('status', '=', q.status)
  if (q.afterId) select = select.where('id', '<', q.afterId)
  return select
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute()
}

/** Records the part of the deposit the provider keeps (a damage report); a change of its own, so a new version. */
export async function saveDepositRetained(trx: Transaction<DB>, id: string, amount: number, now: Date) {
  return trx
    .updateTable('bookings')
    .set({ depositRetained: amount, updatedAt: now, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** The stored answer of a create call under a user's Idempotency-Key, if any. */
export function findIdempotencyKey(db: Kysely<DB>, userId: string, key: string) {
  return db
    .selectFrom('idempotencyKeys')
    .selectAll()
    .where('userId', '=', userId)
    .where('key', '=', key)
    .executeTakeFirst()
}

/** Stores a create call's answer under its Idempotency-Key (the primary key refuses a concurrent twin). */
export async function saveIdempotencyKey(trx: Transaction<DB>, row: Insertable<IdempotencyKeysTable>): Promise<void> {
  await trx.insertInto('idempotencyKeys').values(row).execute()
}

/**
 * Notes a failed payment attempt on a booking that still waits for payment. Not a new version: the state
 * did not change and the payer may still try another card.
 */
export async function savePaymentFailed(trx: Transaction<DB>, id: string, now: Date): Promise<void> {
  await trx.updateTable('bookings').set({ paymentStatus: 'failed', updatedAt: now }).where('id', '=', id).execute()
}
