import { createHash } from 'node:crypto'
import type { Actor, Booking, BookingRules, BookingStatus, CreateBookingBody, Pricing } from '@commons/contracts'
import { newId } from '@commons/db'
import { checkWindow, openingPlanFor } from '@commons/scheduling'
import { type AppError, conflict, forbidden, unprocessable } from '@commons/service-kit'
import { type Kysely, sql } from 'kysely'
import { listingWithBusy } from '../availability/availability.repository.ts'
import { isPgError } from '../db/pg-errors.ts'
import type { BookingRow, DB, ListingReplicaRow } from '../db/schema.ts'
import type { BookingsDeps } from '../deps.ts'
import { assertPublished, cachedListingTerms } from '../listings/listing-terms.ts'
import { type CreationParties, creationParties } from '../listings/parties.repository.ts'
import { paymentParts } from '../payments/payments.repository.ts'
import { NO_SHOW_LIMIT, NO_SHOW_PERIOD_MS } from '../reputation/reputation.service.ts'
import { timerJobCall } from '../timers/timers.repository.ts'
import { MINUTE } from '../units.ts'
import { bookingChanged, toBookingDto } from './booking-dto.ts'
import { checkBookingLimits, checkTimeCredits, limitCountsCall, limitProblem } from './booking-limits.ts'
import { creationFacts, type PartyFacts } from './booking-parties.ts'
import { findIdempotencyKey } from './bookings.repository.ts'
import { cancellationTermsOf } from './cancellation.ts'
import { type NewBookingParts, writeNewBooking } from './create-booking.repository.ts'
import { priceSnapshot } from './pricing.ts'
import { applicableCap, enforceQuota } from './quota.ts'
import { SlotClaims } from './slot-claims.ts'
import { timerFor } from './transitions.ts'

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
  /** For a booking created by this call (not a replay): its parties, read with the listing. */
  parties?: PartyFacts
}

/** An answer stored under an Idempotency-Key. */
interface StoredAnswer {
  requestHash: string
  statusCode: number
  response: unknown
}

/** The replay a stored answer means for a request with `requestHash`: 422 when the body differs. */
function replayOf(stored: StoredAnswer | null | undefined, requestHash: string): CreateOutcome | undefined {
  if (!stored) return undefined
  if (stored.requestHash !== requestHash)
    throw unprocessable('idempotency_key_reused', 'This Idempotency-Key was used with another request body.')
  return { statusCode: stored.statusCode, booking: stored.response as Booking }
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
  return replayOf(await findIdempotencyKey(db, userId, key), requestHash)
}

/**
 * `POST /v1/bookings`. The window is checked against the rules here for a clear refusal; the exclusion
 * constraint is what actually keeps two bookings apart, so a race between two requests for one slot
 * ends in 409 `slot_unavailable` (constraint violation, or the deadlock two conflicting inserts can cause).
 *
 * Creation is bound by round trips: one read (the listing, its busy ranges, the cap that applies, both
 * sides' replicas and the key's stored answer) in parallel with the caller's roles, then one statement: the
 * caps' locks and count, the slot locks, the booking with its audit step, key, payment rows, timer job and
 * event (see writeNewBooking). Only a creation a quota or the time-credit floor applies to is a transaction
 * of several statements. A request for a slot
 * another request of this process is creating waits for that one (see SlotClaims) instead of reading the
 * listing and queueing on the lock.
 */
export async function createBooking(
  deps: BookingsDeps,
  caller: { userId: string; actor: Promise<Actor> },
  body: CreateBookingBody,
  idempotencyKey?: string,
): Promise<CreateOutcome> {
  // Awaited on every path below before anything is answered (a revoked token answers 401 first, a replay
  // included); handled here so a rejection that arrives while another read is awaited is not unhandled.
  caller.actor.catch(() => {})
  const userId = caller.userId
  const requestHash = createHash('sha256').update(JSON.stringify(body)).digest('hex')
  const start = new Date(body.start)
  const end = new Date(body.end)
  const claims = claimsOf(deps)
  const owner = { userId, idempotencyKey }
  // Before any read: a creation in flight here whose window overlaps this one (its busy range holds the
  // window, whatever the buffer) decides the slot. Once it committed, the slot is visibly taken.
  const inFlight = claims.rivalOf(body.listingId, start.getTime(), end.getTime())
  if (inFlight && (await inFlight.outcome)) {
    const actor = await caller.actor
    // A replay still answers what was answered (a twin of this very request, just committed, included).
    const replay = idempotencyKey && (await replayed(deps.db, userId, idempotencyKey, requestHash))
    if (replay) return replay
    if (!actor.roles[body.organizationId])
      throw forbidden('Only members of the requesting organization may book for it.', 'not_a_member')
    throw slotUnavailable()
  }
  // The first of a burst for this window claims it before reading, so the rest of the burst waits above
  // for its outcome instead of each reading the listing (three reads per request used to queue on the pool
  // behind one another). One that waited for a claim that failed goes on without one: a failing request
  // never holds back more than one round of waiters.
  let claim = inFlight ? undefined : claims.add(body.listingId, start.getTime(), end.getTime(), owner, 'reading')
  let created = false
  try {
    // One read: creation is bound by round trips (and, under concurrency, by the pool's connections).
    const stored = idempotencyKey ? { userId, key: idempotencyKey } : undefined
    // The caller's roles (the access replica, read since the request began) need no result of this read,
    // so the two run in parallel: one round trip's wait, where they were two in a row.
    const [read, actor] = await Promise.all([
      listingWithBusy(deps.db, body.listingId, start, end, {
        reach: false,
        extra: creationContext(body.organizationId, stored, deps.clock.now()),
      }),
      caller.actor,
    ])
    // The key's answer comes with the listing; a listing the replica does not hold reads it alone, so a
    // replay answers whatever became of the listing.
    const replay = !idempotencyKey
      ? undefined
      : read.listing
        ? replayOf(read.extra?.stored, requestHash)
        : await replayed(deps.db, actor.userId, idempotencyKey, requestHash)
    if (replay) return replay
    if (!actor.roles[body.organizationId])
      throw forbidden('Only members of the requesting organization may book for it.', 'not_a_member')
    const listing = assertPublished(body.listingId, read.listing)
    // Self-dealing: a booking of one's own organization's listing would count as use by another group in
    // the ledger and let its members rate their own listing.
    if (body.organizationId === listing.organizationId || actor.roles[listing.organizationId])
      throw forbidden('Members of an organization do not book its own listings.', 'self_booking')
    const { rules, availability, pricing } = cachedListingTerms(listing)
    if (listing.capacity !== null && body.attendees > listing.capacity)
      throw unprocessable('capacity_exceeded', `The listing takes at most ${listing.capacity} attendees.`)
    const now = deps.clock.now()
    const verdict = checkWindow({
      availability: openingPlanFor(`${listing.listingId}@${listing.version}`, availability),
      rules,
      busy: read.busy.map((b) => ({ start: new Date(b.start), end: new Date(b.end) })),
      bufferMinutes: rules.bufferMinutes,
      start,
      end,
      now,
    })
    if (!verdict.ok) {
      if (verdict.refusal === 'conflict') {
        // The slot may be taken by this very request's twin (same key) that committed meanwhile.
        const replay = idempotencyKey && (await replayed(deps.db, actor.userId, idempotencyKey, requestHash))
        if (replay) return replay
        throw slotUnavailable()
      }
      throw unprocessable('outside_availability', verdict.detail, { rule: verdict.refusal })
    }
    const busyUntil = new Date(end.getTime() + rules.bufferMinutes * MINUTE)
    for (;;) {
      const rival = claims.rivalOf(listing.listingId, start.getTime(), busyUntil.getTime(), {
        insertingOnly: true,
        except: claim,
      })
      if (!rival) break
      if (await rival.outcome) {
        const twin = idempotencyKey !== undefined && rival.owner.userId === actor.userId
        const replay = twin && rival.owner.idempotencyKey === idempotencyKey
        if (replay) {
          const stored = await replayed(deps.db, actor.userId, idempotencyKey, requestHash)
          if (stored) return stored
        }
        throw slotUnavailable()
      }
    }
    // No await between the loop and here: at most one inserting claim per busy range in this process.
    if (claim) claim.insert(busyUntil.getTime())
    else claim = claims.add(listing.listingId, start.getTime(), busyUntil.getTime(), owner, 'inserting')
    const context = read.extra!
    const outcome = await insertBooking(
      deps,
      actor,
      body,
      {
        listing,
        rules,
        pricing,
        start,
        end,
        busyUntil,
        now,
        timezone: availability.timezone,
        cap: context.cap,
        noShows: context.noShows,
      },
      {
        idempotencyKey,
        requestHash,
      },
    )
    created = true
    return { ...outcome, parties: creationFacts(outcome.booking, actor.displayName ?? null, context.parties) }
  } finally {
    claim?.settle(created)
  }
}

// One claim registry per app (its database handle), not per process: two apps in one test process are two
// replicas, each seeing only its own requests, as in production.
const claimsByDb = new WeakMap<object, SlotClaims>()

function claimsOf(deps: BookingsDeps): SlotClaims {
  let claims = claimsByDb.get(deps.db)
  if (!claims) {
    claims = new SlotClaims()
    claimsByDb.set(deps.db, claims)
  }
  return claims
}

/**
 * What a creation reads about a listing besides its terms and busy ranges, in the same round trip: the
 * fair-share cap that applies to the requester, both sides' replicas for the answer's parties, and the
 * answer stored under the request's Idempotency-Key (null without one).
 */
function creationContext(requesterOrganizationId: string, key: { userId: string; key: string } | undefined, now: Date) {
  const stored = key
    ? sql`(select json_build_object('requestHash', k.request_hash, 'statusCode', k.status_code, 'response', k.response)
          from idempotency_keys k where k.user_id = ${key.userId} and k.key = ${key.key})`
    : sql`null`
  // Reputation has consequences (noShowsOf): counted only for an instant-book listing, where it decides.
  const since = new Date(now.getTime() - NO_SHOW_PERIOD_MS)
  const noShows = sql`case when l.rules->>'mode' = 'instant' then (select count(*) from bookings n
      where n.requester_organization_id = ${requesterOrganizationId}::uuid and n.status = 'no_show'
        and n.start_at > ${since}::timestamptz and n.start_at <= ${now}::timestamptz) end`
  return sql<{ cap: number | null; parties: CreationParties; stored: StoredAnswer | null; noShows: number | null }>`
    json_build_object(
    'cap', ${applicableCap(requesterOrganizationId)}, 'parties', ${creationParties(requesterOrganizationId)},
    'stored', ${stored}, 'noShows', ${noShows})`
}

/** The payment authorisation and the transaction that stores a booking whose window passed the checks. */
async function insertBooking(
  deps: BookingsDeps,
  actor: Actor,
  body: CreateBookingBody,
  terms: {
    listing: ListingReplicaRow
    rules: BookingRules
    pricing: Pricing
    start: Date
    end: Date
    busyUntil: Date
    now: Date
    /** The listing's time zone, in which quotas count calendar months. */
    timezone: string
    /** The fair-share cap that applies (`applicableCap`), or null. */
    cap: number | null
    /** The requester's no-shows in the last 90 days, read with the listing when it is instant-book. */
    noShows: number | null
  },
  request: { idempotencyKey: string | undefined; requestHash: string },
): Promise<CreateOutcome> {
  const { listing, rules, start, end, now } = terms
  const { idempotencyKey, requestHash } = request
  const price = priceSnapshot(terms.pricing, start, end)
  const id = newId()
  const payment = await deps.payments.open({ bookingId: id, price, parts: [] })
  // Reputation has consequences: a group with repeated no-shows books as if the listing took requests.
  const instant = rules.mode === 'instant' && (terms.noShows ?? 0) < NO_SHOW_LIMIT
  const status: BookingStatus = payment.holdsForPayment ? 'pending_payment' : instant ? 'confirmed' : 'requested'
  // The row exactly as stored (defaults included), so nothing is read back.
  const row: BookingRow = {
    id,
    listingId: listing.listingId,
    listingKind: listing.kind,
    listingTitle: listing.title,
    providerOrganizationId: listing.organizationId,
    requesterOrganizationId: body.organizationId,
    requesterUserId: actor.userId,
    requesterName: actor.displayName ?? null,
    status,
    startAt: start,
    endAt: end,
    bufferMinutes: rules.bufferMinutes,
    busyUntil: terms.busyUntil,
    attendees: body.attendees,
    purpose: body.purpose,
    price,
    cancellation: cancellationTermsOf(rules),
    paymentProvider: deps.payments.name,
    paymentStatus: payment.status,
    refundedAmount: 0,
    depositRetained: 0,
    reason: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  }
  const outcome = { statusCode: 201, booking: toBookingDto(row) }
  const limits = {
    perMember: deps.config.BOOKING_LIMIT_PER_MEMBER,
    perOrganizationListing: deps.config.BOOKING_LIMIT_PER_ORGANIZATION_LISTING,
  }
  const subject = { listingId: listing.listingId, organizationId: body.organizationId, userId: actor.userId, now }
  const timer = timerFor(row, now)
  const parts: NewBookingParts = {
    actor: { userId: actor.userId, role: 'requester' },
    // A concurrent twin with the same key fails on it (23505) or on the slot (23P01) once this commits,
    // and then replays this answer.
    idempotency: idempotencyKey
      ? { key: idempotencyKey, requestHash, statusCode: 201, response: outcome.booking }
      : undefined,
    payments: paymentParts(price, payment.externalIds).map((p) => ({
      id: newId(),
      purpose: p.purpose,
      provider: deps.payments.name,
      amount: p.amount,
      externalId: p.externalId,
    })),
    timer: timer && timerJobCall(deps.jobs, row.id, timer.kind, timer.runAt),
    event: bookingChanged(row),
  }
  try {
    // The quota and the time-credit floor lock and count in statements of their own, so a creation that
    // meets one is a transaction; every other creation is the one statement, caps included.
    const ownTransaction = terms.cap !== null || listing.kind === 'volunteer_time'
    if (!ownTransaction) {
      const counts = await writeNewBooking(deps.db, row, {
        ...parts,
        caps: { call: limitCountsCall(subject), ...limits },
      })
      if (counts) throw limitProblem(limits, counts) ?? new Error('A cap refused a booking under its caps')
      return outcome
    }
    await deps.db.transaction().execute(async (trx) => {
      // The caps take their locks (member, then organization) before the quota's and the listing's slot
      // locks, which writeNewBooking takes: every creation locks in that order (the one-statement path too),
      // so no two wait on each other in a cycle.
      await checkBookingLimits(trx, limits, subject)
      if (listing.kind === 'volunteer_time')
        await checkTimeCredits(trx, deps.config.TIME_CREDIT_OVERDRAFT_HOURS, {
          organizationId: body.organizationId,
          minutes: Math.round((end.getTime() - start.getTime()) / MINUTE),
        })
      await enforceQuota(
        trx,
        {
          providerOrganizationId: listing.organizationId,
          requesterOrganizationId: body.organizationId,
          kind: listing.kind,
          timezone: terms.timezone,
          start,
          end,
        },
        terms.cap,
      )
      await writeNewBooking(trx, row, parts)
    })
    return outcome
  } catch (error) {
    if (Object.keys(payment.externalIds).length > 0) {
      // No booking, so no authorisation may stay behind. Best effort: an intent left over expires at Stripe.
      const parts = paymentParts(price, payment.externalIds)
      await deps.payments.perform({ bookingId: id, price, parts }, payment.status, { step: 'release' }).catch(() => {})
    }
    if (idempotencyKey && isPgError(error, ['23P01', '40P01', '23505'])) {
      const replay = await replayed(deps.db, actor.userId, idempotencyKey, requestHash)
      if (replay) return replay
    }
    throw slotProblem(error) ?? error
  }
}
