import type { BookingActorRole } from '@commons/contracts'
import { sql, type Transaction } from 'kysely'
import type { BookingRow, DB } from '../db/schema.ts'

// Two-key advisory locks, apart from the migration and feed-consumer namespaces.
const BOOKING_LOCK_NAMESPACE = 0x626b6e67 // 'bkng'

/** The stored answer of a create call, kept under its Idempotency-Key. */
export interface IdempotencyRecord {
  key: string
  requestHash: string
  statusCode: number
  response: unknown
}

/**
 * Takes the listing's creation lock, inserts the booking, its first audit step and, when a key came with
 * the request, the answer under its Idempotency-Key: one statement, where they were four round trips.
 * Every part reads from the one before (the insert selects from the lock, the audit and the key from the
 * insert), so Postgres runs them in that order, and a refused insert (23P01 overlap, 23505 twin key)
 * leaves nothing behind. `row` is the whole booking as stored (column defaults included), so the caller
 * builds the answer and the event without reading the row back.
 *
 * The lock: creations for one listing queue on it. Not the guard (the exclusion constraint is), but
 * without it two conflicting inserts can deadlock, and Postgres only notices after deadlock_timeout (1 s)
 * while both hold a connection: under a burst for one slot that stalls the pool.
 */
export async function insertNewBooking(
  trx: Transaction<DB>,
  row: BookingRow,
  actor: { userId: string; role: BookingActorRole },
  idempotency: IdempotencyRecord | undefined,
): Promise<void> {
  const keyed = idempotency
    ? sql`, keyed as (
        insert into idempotency_keys (user_id, key, request_hash, status_code, response)
        select ${actor.userId}::uuid, ${idempotency.key}::text, ${idempotency.requestHash}::text,
               ${idempotency.statusCode}::int, ${JSON.stringify(idempotency.response)}::jsonb
        from booking
      )`
    : sql``
  await sql`
    with locked as (
      select pg_advisory_xact_lock(${BOOKING_LOCK_NAMESPACE}, hashtext(${row.listingId})) as ok
    ), booking as (
      insert into bookings (id, listing_id, listing_kind, listing_title, provider_organization_id,
        requester_organization_id, requester_user_id, status, start_at, end_at, buffer_minutes, busy_until,
        attendees, purpose, price, payment_provider, payment_status, refunded_amount, deposit_retained, reason,
        version, created_at, updated_at)
      select ${row.id}::uuid, ${row.listingId}::uuid, ${row.listingKind}::text, ${row.listingTitle}::text,
        ${row.providerOrganizationId}::uuid, ${row.requesterOrganizationId}::uuid, ${row.requesterUserId}::uuid,
        ${row.status}::text, ${row.startAt}::timestamptz, ${row.endAt}::timestamptz, ${row.bufferMinutes}::int,
        ${row.busyUntil}::timestamptz, ${row.attendees}::int, ${row.purpose}::text, ${JSON.stringify(row.price)}::jsonb,
        ${row.paymentProvider}::text, ${row.paymentStatus}::text, ${row.refundedAmount}::int,
        ${row.depositRetained}::int, ${row.reason}::text, ${row.version}::int, ${row.createdAt}::timestamptz,
        ${row.updatedAt}::timestamptz
      from locked
      returning id
    ), audited as (
      insert into booking_audit (booking_id, actor_user_id, actor_role, action, from_status, to_status, reason,
        moderator_override, at)
      select id, ${actor.userId}::uuid, ${actor.role}::text, 'create', null, ${row.status}::text, null, false,
        ${row.createdAt}::timestamptz
      from booking
    )${keyed}
    select id from booking`.execute(trx)
}
