import { createHash } from 'node:crypto'
import type { Actor, Booking, BookingStatus, CreateBookingBody } from '@commons/contracts'
import { appendEvent, newId } from '@commons/db'
import { checkWindow } from '@commons/scheduling'
import { type AppError, conflict, forbidden, unprocessable } from '@commons/service-kit'
import { type Kysely, sql } from 'kysely'
import { busyAround } from '../availability/availability.service.ts'
import { isPgError } from '../db/pg-errors.ts'
import type { DB } from '../db/schema.ts'
import type { BookingsDeps } from '../deps.ts'
import { listingTerms, publishedListing } from '../listings/listing-terms.ts'
import { insertPaymentRows, paymentParts } from '../payments/payments.repository.ts'
import { instantBookAllowed } from '../reputation/reputation.service.ts'
import { MINUTE } from '../units.ts'
import { bookingChanged, toBookingDto } from './booking-dto.ts'
import { audit, findIdempotencyKey, insertBooking, saveIdempotencyKey } from './bookings.repository.ts'
import { priceSnapshot } from './pricing.ts'
import { enforceQuota } from './quota.ts'
import { scheduleTimerOf } from './transitions.ts'

// Two-key advisory locks, apart from the migration and feed-consumer namespaces.
const BOOKING_LOCK_NAMESPACE = 0x626b6e67 // 'bkng'

const slotUnavailable = () =>
  conflict('slot_unavailable', 'Another booking holds this time (including the buffer between bookings).')

/**
 * The problem a failed booking insert means to the caller: 409 `slot_unavailable` for the exclusion
 * constraint (23P01) and for the deadlock two inserts into overlapping ranges can run into (40P01), which
 * is the same conflict seen from the losing side. Undefined for anything else.
 */
export function slotProblem(error: unknown): AppError | undefined {
  return isPgError(error, ['23P01', '40P01']) ? slotUnavailable() : undefined
}

/** What a create call answers; stored under the Idempotency-Key for replays. */
export interface CreateOutcome {
  statusCode: number
  booking: Booking
}

/**
 * The first answer given under this key, if any. Checked before any rule: a replay answers what was
 * answered, even once the rules would refuse the request now (notice passed, listing paused, member gone).
 */
async function replayed(
  db: Kysely<DB>,
  userId: string,
  key: string,
  requestHash: string,
): Promise<CreateOutcome | undefined> {
  const stored = await findIdempotencyKey(db, userId, key)
  if (!stored) return undefined
  if (stored.requestHash !== requestHash)
    throw unprocessable('idempotency_key_reused', 'This Idempotency-Key was used with another request body.')
  return { statusCode: stored.statusCode, booking: stored.response as Booking }
}

/**
 * `POST /v1/bookings`. The window is checked against the rules here for a clear refusal; the exclusion
 * constraint is what actually keeps two bookings apart, so a race between two requests for one slot
 * ends in 409 `slot_unavailable` (constraint violation, or the deadlock two conflicting inserts can cause).
 */
export async function createBooking(
  deps: BookingsDeps,
  actor: Actor,
  body: CreateBookingBody,
  idempotencyKey?: string,
): Promise<CreateOutcome> {
  const requestHash = createHash('sha256').update(JSON.stringify(body)).digest('hex')
  // Independent reads, in parallel: each is a round trip, and creation is bound by round trips.
  const [replay, listing] = await Promise.all([
    idempotencyKey ? replayed(deps.db, actor.userId, idempotencyKey, requestHash) : undefined,
    publishedListing(deps.db, body.listingId).catch((error: unknown) => error as Error),
  ])
  if (replay) return replay
  if (!actor.roles[body.organizationId])
    throw forbidden('Only members of the requesting organization may book for it.', 'not_a_member')
  if (listing instanceof Error) throw listing
  const { rules, availability, pricing } = listingTerms(listing)
  if (listing.capacity !== null && body.attendees > listing.capacity)
    throw unprocessable('capacity_exceeded', `The listing takes at most ${listing.capacity} attendees.`)
  const start = new Date(body.start)
  const end = new Date(body.end)
  const now = deps.clock.now()
  const busy = await busyAround(deps.db, listing.listingId, start, end, rules.bufferMinutes)
  const verdict = checkWindow({ availability, rules, busy, bufferMinutes: rules.bufferMinutes, start, end, now })
  if (!verdict.ok) {
    if (verdict.refusal === 'conflict') {
      // The slot may be taken by this very request's twin (same key) that committed meanwhile.
      const replay = idempotencyKey && (await replayed(deps.db, actor.userId, idempotencyKey, requestHash))
      if (replay) return replay
      throw slotUnavailable()
    }
    throw unprocessable('outside_availability', verdict.detail, { rule: verdict.refusal })
  }
  const price = priceSnapshot(pricing, start, end)
  const id = newId()
  const payment = await deps.payments.open({ bookingId: id, price, parts: [] })
  // Reputation has consequences: a group with repeated no-shows books as if the listing took requests.
  const instant = rules.mode === 'instant' && (await instantBookAllowed(deps.db, body.organizationId, now))
  const status: BookingStatus = payment.holdsForPayment ? 'pending_payment' : instant ? 'confirmed' : 'requested'
  try {
    return await deps.db.transaction().execute(async (trx) => {
      // Creations for one listing queue here. Not the guard (the exclusion constraint is), but without it
      // two conflicting inserts can deadlock, and Postgres only notices after deadlock_timeout (1 s) while
      // both hold a connection: under a burst for one slot that stalls the pool.
      await sql`select pg_advisory_xact_lock(${BOOKING_LOCK_NAMESPACE}, hashtext(${listing.listingId}))`.execute(trx)
      await enforceQuota(trx, {
        providerOrganizationId: listing.organizationId,
        requesterOrganizationId: body.organizationId,
        kind: listing.kind,
        timezone: availability.timezone,
        start,
        end,
      })
      const row = await insertBooking(trx, {
        id,
        listingId: listing.listingId,
        listingKind: listing.kind,
        listingTitle: listing.title,
        providerOrganizationId: listing.organizationId,
        requesterOrganizationId: body.organizationId,
        requesterUserId: actor.userId,
        status,
        startAt: start,
        endAt: end,
        bufferMinutes: rules.bufferMinutes,
        busyUntil: new Date(end.getTime() + rules.bufferMinutes * MINUTE),
        attendees: body.attendees,
        purpose: body.purpose,
        price: JSON.stringify(price),
        paymentProvider: deps.payments.name,
        paymentStatus: payment.status,
        reason: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      })
      await insertPaymentRows(trx, row, deps.payments.name, payment.externalIds, now)
      await scheduleTimerOf(trx, deps, row, now)
      await audit(trx, {
        bookingId: row.id,
        actorUserId: actor.userId,
        actorRole: 'requester',
        action: 'create',
        fromStatus: null,
        toStatus: row.status,
        reason: null,
        moderatorOverride: false,
        at: now,
      })
      await appendEvent(trx, bookingChanged(row))
      const outcome = { statusCode: 201, booking: toBookingDto(row) }
      if (idempotencyKey) {
        // A concurrent twin with the same key fails here (23505) or on the slot (23P01) once this commits,
        // and then replays this answer.
        await saveIdempotencyKey(trx, {
          userId: actor.userId,
          key: idempotencyKey,
          requestHash,
          statusCode: 201,
          response: JSON.stringify(outcome.booking),
        })
      }
      return outcome
    })
  } catch (error) {
    if (Object.keys(payment.externalIds).length > 0) {
      // No booking, so no authorisation may stay behind. Best effort: an intent left over expires at Stripe.
      const parts = paymentParts(price, payment.externalIds)
      await deps.payments.release({ bookingId: id, price, parts }, payment.status).catch(() => {})
    }
    if (idempotencyKey && isPgError(error, ['23P01', '40P01', '23505'])) {
      const replay = await replayed(deps.db, actor.userId, idempotencyKey, requestHash)
      if (replay) return replay
    }
    throw slotProblem(error) ?? error
  }
}
