import { type AppError, problem } from '@commons/service-kit'
import { sql, type Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'

/** Statuses of a booking that still claims a future slot (a completed or no-show one is history). */
const OUTSTANDING = ['pending_payment', 'requested', 'confirmed'] as const

// Two-key advisory locks, apart from the booking, migration and feed-consumer namespaces. Always taken in
// the order member, organization, then the listing's slot locks (in create-booking's insert), so two creations never
// wait on each other in a cycle.
const MEMBER_LOCK_NAMESPACE = 0x626b6d62 // 'bkmb'
const ORGANIZATION_LOCK_NAMESPACE = 0x626b6f67 // 'bkog'

/** The caps on outstanding future bookings (config BOOKING_LIMIT_*). */
export interface BookingLimits {
  perMember: number
  perOrganizationListing: number
}

/**
 * Refuses a booking that would take a member or a requesting organization (on one listing) past its cap of
 * outstanding future bookings: without a cap, a burst of requests takes a listing's whole calendar (issue 13,
 * hoarding). Called in the creating transaction before the listing's slot locks: the member's lock serialises
 * their bookings, the requesting organization's lock its members' bookings of one listing, so no two
 * concurrent creations both see room under a cap. Locks and count are two statements because a statement's
 * snapshot is taken before it waits on a lock.
 */
export async function checkBookingLimits(
  trx: Transaction<DB>,
  limits: BookingLimits,
  booking: { listingId: string; organizationId: string; userId: string; now: Date },
): Promise<void> {
  await sql`select pg_advisory_xact_lock(${MEMBER_LOCK_NAMESPACE}, hashtext(${booking.userId})),
                   pg_advisory_xact_lock(${ORGANIZATION_LOCK_NAMESPACE}, hashtext(${booking.organizationId}))`.execute(
    trx,
  )
  const { rows } = await sql<{ member: string; organizationListing: string }>`
    select count(*) filter (where requester_user_id = ${booking.userId}) as member,
           count(*) filter (where requester_organization_id = ${booking.organizationId}
                              and listing_id = ${booking.listingId}) as organization_listing
    from bookings
    where status in (${sql.join([...OUTSTANDING])})
      and start_at > ${booking.now}
      and (requester_user_id = ${booking.userId}
           or (requester_organization_id = ${booking.organizationId} and listing_id = ${booking.listingId}))`.execute(
    trx,
  )
  const refusal = limitProblem(limits, {
    member: Number(rows[0]?.member ?? 0),
    organizationListing: Number(rows[0]?.organizationListing ?? 0),
  })
  if (refusal) throw refusal
}

/** Outstanding future bookings under a member's and a requesting organization's (on one listing) caps. */
export interface LimitCounts {
  member: number
  organizationListing: number
}

/** The 409 `booking_limit_reached` a creation meets with `counts` already outstanding, if any. */
export function limitProblem(limits: BookingLimits, counts: LimitCounts): AppError | undefined {
  if (counts.member >= limits.perMember)
    return problem(
      'booking_limit_reached',
      `You have ${limits.perMember} upcoming bookings, the most one member may hold; cancel one or wait until one has taken place.`,
      { body: { limit: limits.perMember, scope: 'member' } },
    )
  if (counts.organizationListing >= limits.perOrganizationListing)
    return problem(
      'booking_limit_reached',
      `Your organization has ${limits.perOrganizationListing} upcoming bookings of this listing, the most it may hold at once.`,
      { body: { limit: limits.perOrganizationListing, scope: 'organization_listing' } },
    )
  return undefined
}

/**
 * `checkBookingLimits`' locks and count as one set-returning call (columns `member`,
 * `organization_listing`) for the FROM of the creating statement: the same locks in the same order, and
 * a count that sees every booking committed before they were granted (the function takes a fresh
 * snapshot after its locks, see the 2026-12-01 migration). The caller refuses the insert when a count
 * is at its cap, and answers `limitProblem`.
 */
export function limitCountsCall(booking: { listingId: string; organizationId: string; userId: string; now: Date }) {
  return sql`creation_caps(${MEMBER_LOCK_NAMESPACE}::int, ${ORGANIZATION_LOCK_NAMESPACE}::int, ${booking.userId}::text,
    ${booking.organizationId}::text, ${booking.listingId}::text, ${booking.now}::timestamptz,
    ${[...OUTSTANDING]}::text[])`
}

/**
 * Refuses a volunteer_time booking that could take the requesting organization's time-credit balance below
 * `-overdraftHours`, counting the hours of its volunteer bookings not yet received. Without a floor, a
 * throwaway organization could book (and complete) any amount of volunteer time from an accomplice and mint
 * credits for it (issue 13 item 14). Serialised per organization by an advisory lock.
 */
export async function checkTimeCredits(
  trx: Transaction<DB>,
  overdraftHours: number,
  booking: { organizationId: string; minutes: number },
): Promise<void> {
  await sql`select pg_advisory_xact_lock(${ORGANIZATION_LOCK_NAMESPACE}, hashtext(${booking.organizationId}))`.execute(
    trx,
  )
  const { rows } = await sql<{ balance: string; owed: string }>`
    select
      (select coalesce(sum(minutes), 0) from credit_entries
        where account_kind = 'organization' and account_id = ${booking.organizationId}) as balance,
      (select coalesce(sum(extract(epoch from end_at - start_at) / 60), 0) from bookings
        where requester_organization_id = ${booking.organizationId} and listing_kind = 'volunteer_time'
          and status in (${sql.join([...OUTSTANDING])})) as owed`.execute(trx)
  const balance = Number(rows[0]?.balance ?? 0)
  const owed = Number(rows[0]?.owed ?? 0)
  const left = balance - owed + overdraftHours * 60
  if (booking.minutes > left)
    throw problem(
      'time_credits_exhausted',
      `Your organization can take ${Math.max(0, Math.floor(left / 6) / 10)} more hours of volunteer time; give volunteer time to earn more.`,
      { body: { balanceHours: balance / 60, bookedHours: owed / 60, overdraftHours } },
    )
}
