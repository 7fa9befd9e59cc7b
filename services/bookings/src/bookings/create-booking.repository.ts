import type { BookingActorRole } from '@commons/contracts'
import { eventAppendParts, type NewEvent } from '@commons/db'
import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { BookingRow, DB } from '../db/schema.ts'
import type { LimitCounts } from './booking-limits.ts'

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

/** What is written with a new booking besides its row, in the same statement. */
export interface NewBookingParts {
  /** Who created it, for its first audit step. */
  actor: { userId: string; role: BookingActorRole }
  /** The answer to store under the request's Idempotency-Key, when one came with it. */
  idempotency: IdempotencyRecord | undefined
  /**
   * The caps' locks and count (`limitCountsCall`) and the caps: checked in the statement, before the slot
   * locks, when the caller has not checked them in a transaction of its own. A count at its cap refuses
   * the insert, and the statement answers the counts.
   */
  caps?: { call: RawBuilder<unknown>; perMember: number; perOrganizationListing: number }
  /** The payment rows of its price (none for a free booking). */
  payments: NewPaymentRow[]
  /** Its timer job (`JobQueue.enqueueCall`), when its state has one. */
  timer: RawBuilder<unknown> | undefined
  /** Its `booking.changed` event. */
  event: NewEvent
}

/** A payment row of a new booking (the booking's columns fill the rest). */
export interface NewPaymentRow {
  id: string
  purpose: string
  provider: string
  amount: number
  externalId: string | null
}

/**
 * Writes a new booking as one statement: takes the listing's creation locks (after the caps' locks, when
 * `parts.caps` is given), inserts the booking, its first audit step, the answer under its Idempotency-Key,
 * its payment rows, its timer job and its event with the feed's notify. Before, each was a round trip of
 * its own in a transaction. Every part reads from the one before (the insert selects from the locks, the
 * rest from the insert), so Postgres runs them in that order, and a refused insert (23P01 overlap, 23505
 * twin key, a cap reached) leaves nothing behind. `row` is the whole booking as stored (column defaults
 * included), so the caller builds the answer and the event without reading the row back.
 *
 * One statement is atomic on its own, so `db` may be the pool: a creation with no other check to make
 * needs no BEGIN and COMMIT. Within a transaction (a quota or time-credit check came first, holding its
 * locks), pass the transaction.
 *
 * Resolves with the caps' counts when a cap refused the insert, undefined when the booking was written.
 *
 * The slot locks: creations whose busy ranges share an hour of one listing queue on one (see lockBuckets),
 * taken in ascending order by one statement so they cannot deadlock among themselves. Not the guard (the
 * exclusion constraint is), but without them two conflicting inserts can deadlock, and Postgres only
 * notices after deadlock_timeout (1 s) while both hold a connection: under a burst for one slot that stalls
 * the pool. One lock per listing made distinct slots of a busy listing queue too. A long booking (over a
 * day) takes day locks, so it does not queue with a conflicting short one: both then rely on the
 * constraint, and a deadlock between them still answers 409 (in-process, SlotClaims keeps them apart).
 */
export async function writeNewBooking(
  db: Kysely<DB>,
  row: BookingRow,
  parts: NewBookingParts,
): Promise<LimitCounts | undefined> {
  const { actor, idempotency, caps } = parts
  const keyed = idempotency
    ? sql`, keyed as (
        insert into idempotency_keys (user_id, key, request_hash, status_code, response)
        select ${actor.userId}::uuid, ${idempotency.key}::text, ${idempotency.requestHash}::text,
               ${idempotency.statusCode}::int, ${JSON.stringify(idempotency.response)}::jsonb
        from booking
      )`
    : sql``
  const paid =
    parts.payments.length > 0
      ? sql`, paid as (
        insert into payments (id, booking_id, purpose, provider, status, amount, currency, external_id, method,
          reference, created_at, updated_at)
        select p.id, booking.id, p.purpose, p.provider, ${row.paymentStatus}::text, p.amount,
               ${row.price.currency}::text, p.external_id, null, null, ${row.createdAt}::timestamptz,
               ${row.createdAt}::timestamptz
        from booking cross join (values ${sql.join(
          parts.payments.map(
            (p) =>
              sql`(${p.id}::uuid, ${p.purpose}::text, ${p.provider}::text, ${p.amount}::int, ${p.externalId}::text)`,
          ),
        )}) p (id, purpose, provider, amount, external_id)
      )`
      : sql``
  const timer = parts.timer ? sql`, timer as (select (${parts.timer}).id from booking)` : sql``
  const event = eventAppendParts(parts.event, 'booking')
  // Only a CTE that writes runs unread: the timer (a function call) and the notify are read below.
  const timerRead = parts.timer ? sql`(select count(*) from timer)` : sql`0`
  const gate = caps ? sql`caps as materialized (select member, organization_listing from ${caps.call}), ` : sql``
  const under = caps
    ? sql`where caps.member < ${caps.perMember} and caps.organization_listing < ${caps.perOrganizationListing}`
    : sql``
  const buckets = lockBuckets(row.startAt, row.busyUntil)
  const { rows } = await sql<{ id: string | null; member: string | null; organizationListing: string | null }>`
    with ${gate}locked as (
      select count(pg_advisory_xact_lock((hashtext(${row.listingId})::bigint << 32) + b)) as ok
      from (select b from generate_series(${buckets.first}::bigint, ${buckets.last}::bigint) b order by b) buckets
      ${caps ? sql`, caps ${under}` : sql``}
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
      ${caps ? sql`, caps ${under}` : sql``}
      returning id
    ), audited as (
      insert into booking_audit (booking_id, actor_user_id, actor_role, action, from_status, to_status, reason,
        moderator_override, at)
      select id, ${actor.userId}::uuid, ${actor.role}::text, 'create', null, ${row.status}::text, null, false,
        ${row.createdAt}::timestamptz
      from booking
    )${keyed}${paid}${timer}, appended as (${event.insert})
    select (select id from booking) as id, ${timerRead} as timers,
           (select count(${event.notify}) from appended) as notified
           ${caps ? sql`, caps.member, caps.organization_listing from caps` : sql``}`.execute(db)
  const result = rows[0]
  if (!caps || result?.id) return undefined
  return { member: Number(result?.member ?? 0), organizationListing: Number(result?.organizationListing ?? 0) }
}
