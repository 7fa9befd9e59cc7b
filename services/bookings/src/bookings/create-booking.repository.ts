import type { BookingActorRole } from '@commons/contracts'
import { sql, type Transaction } from 'kysely'
import type { BookingRow, DB } from '../db/schema.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR
/** A busy range over more hours than this locks whole days instead (fewer locks held). */
const MAX_HOUR_LOCKS = 24

/**
 * The lock buckets of a busy range [start, busyUntil): the hours it touches, or, for a long booking, the
 * days (as negative numbers, so they never equal an hour). Two overlapping ranges of the same granularity
 * share a bucket, so they queue on one lock; distinct slots of one listing do not.
 */
export function lockBuckets(start: Date, busyUntil: Date): { first: number; last: number } {
  const first = Math.floor(start.getTime() / HOUR)
  const last = Math.floor((busyUntil.getTime() - 1) / HOUR)
  if (last - first < MAX_HOUR_LOCKS) return { first, last }
  return { first: -Math.floor((busyUntil.getTime() - 1) / DAY), last: -Math.floor(start.getTime() / DAY) }
}

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
 * The locks: creations whose busy ranges share an hour of one listing queue on one (see lockBuckets),
 * taken in ascending order by one statement so they cannot deadlock among themselves. Not the guard (the
 * exclusion constraint is), but without them two conflicting inserts can deadlock, and Postgres only
 * notices after deadlock_timeout (1 s) while both hold a connection: under a burst for one slot that stalls
 * the pool. One lock per listing made distinct slots of a busy listing queue too. A long booking (over a
 * day) takes day locks, so it does not queue with a conflicting short one: both then rely on the
 * constraint, and a deadlock between them still answers 409 (in-process, SlotClaims keeps them apart).
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
  const buckets = lockBuckets(row.startAt, row.busyUntil)
  await sql`
    with locked as (
      select count(pg_advisory_xact_lock((hashtext(${row.listingId})::bigint << 32) + b)) as ok
      from (select b from generate_series(${buckets.first}::bigint, ${buckets.last}::bigint) b order by b) buckets
    ), booking as (
      insert into bookings (id, listing_id, listing_kind, listing_title, provider_organization_id,
        requester_organization_id, requester_user_id, requester_name, status, start_at, end_at, buffer_minutes, busy_until,
        attendees, purpose, price, cancellation, payment_provider, payment_status, refunded_amount, deposit_retained, reason,
        version, created_at, updated_at)
      select ${row.id}::uuid, ${row.listingId}::uuid, ${row.listingKind}::text, ${row.listingTitle}::text,
        ${row.providerOrganizationId}::uuid, ${row.requesterOrganizationId}::uuid, ${row.requesterUserId}::uuid, ${row.requesterName}::text,
        ${row.status}::text, ${row.startAt}::timestamptz, ${row.endAt}::timestamptz, ${row.bufferMinutes}::int,
        ${row.busyUntil}::timestamptz, ${row.attendees}::int, ${row.purpose}::text, ${JSON.stringify(row.price)}::jsonb,
        ${JSON.stringify(row.cancellation)}::jsonb,
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
