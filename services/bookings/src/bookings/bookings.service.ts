import { createHash } from 'node:crypto'
import {
  type Actor,
  Availability,
  type AvailabilityResponse,
  BOOKINGS_EVENTS,
  type Booking,
  type BookingAction,
  type BookingChangedPayload,
  type BookingHistory,
  BookingRules,
  type BookingStatus,
  type CreateBookingBody,
  Pricing,
  type RefundPreview,
} from '@commons/contracts'
import { appendEvent, newId } from '@commons/db'
import { bookableSlots, checkWindow } from '@commons/scheduling'
import {
  AppError,
  conflict,
  forbidden,
  invalidTransition,
  notFound,
  pageOf,
  readCursor,
  unprocessable,
} from '@commons/service-kit'
import { type Kysely, sql, type Transaction } from 'kysely'
import { z } from 'zod'
import type { BookingRow, DB, ListingReplicaRow, PaymentStatus, PriceSnapshot } from '../db/schema.ts'
import type { BookingsDeps } from '../deps.ts'
import type { PaymentPart, PaymentSubject } from '../payments/payment-provider.ts'
import { instantBookAllowed } from '../reputation/reputation.service.ts'
import {
  actingRole,
  allows,
  type BookingEvent,
  holdsSlot,
  mayAct,
  nextStatus,
  type Party,
  timingProblem,
} from './booking-machine.ts'
import {
  audit,
  auditTrail,
  busyBookings,
  findBooking,
  findListing,
  insertBooking,
  listBookings,
  lockBooking,
  saveBooking,
  scheduleTimer,
} from './bookings.repository.ts'
import { cancellationPolicyOf, cancellationRefund, cancelsAsProvider } from './cancellation.ts'

const MINUTE = 60_000
// Two-key advisory locks, apart from the migration and feed-consumer namespaces.
const BOOKING_LOCK_NAMESPACE = 0x626b6e67 // 'bkng'
const HOUR = 60 * MINUTE
/** How long a paid booking holds its slot while the payment is authorised. */
export const PAYMENT_HOLD_MS = 15 * MINUTE
/** A request expires when unanswered this long, or 1 h before the start, whichever comes first. */
export const REQUEST_TTL_MS = 48 * HOUR
/** Confirmed bookings complete by themselves this long after their end. */
export const AUTO_COMPLETE_AFTER_MS = 24 * HOUR
/** The provider may report damage (and keep the deposit) this long after the end. */
export const DAMAGE_WINDOW_MS = 48 * HOUR

/** The API shape of a booking row. */
export function toBookingDto(row: BookingRow): Booking {
  return {
    id: row.id,
    listingId: row.listingId,
    listingKind: row.listingKind,
    listingTitle: row.listingTitle,
    providerOrganizationId: row.providerOrganizationId,
    requesterOrganizationId: row.requesterOrganizationId,
    requesterUserId: row.requesterUserId,
    status: row.status,
    start: row.startAt.toISOString(),
    end: row.endAt.toISOString(),
    bufferMinutes: row.bufferMinutes,
    attendees: row.attendees,
    purpose: row.purpose,
    price: row.price,
    paymentProvider: row.paymentProvider as Booking['paymentProvider'],
    paymentStatus: row.paymentStatus,
    refundedAmount: row.refundedAmount,
    depositRetained: row.depositRetained,
    reason: row.reason,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

/** The `booking.changed` event of a booking's current state. */
function bookingChanged(row: BookingRow) {
  const payload: BookingChangedPayload = {
    booking: {
      id: row.id,
      listingId: row.listingId,
      listingKind: row.listingKind,
      providerOrganizationId: row.providerOrganizationId,
      requesterOrganizationId: row.requesterOrganizationId,
      requesterUserId: row.requesterUserId,
      status: row.status,
      holdsSlot: holdsSlot(row.status),
      start: row.startAt.toISOString(),
      end: row.endAt.toISOString(),
      bufferMinutes: row.bufferMinutes,
      attendees: row.attendees,
      version: row.version,
    },
  }
  return { type: BOOKINGS_EVENTS.bookingChanged, entityId: row.id, version: row.version, payload }
}

/** Rules, availability and pricing of a replica, with the contract's defaults applied. */
function listingTerms(listing: ListingReplicaRow) {
  return {
    rules: BookingRules.parse(listing.rules),
    availability: Availability.parse(listing.availability),
    pricing: Pricing.parse(listing.pricing),
  }
}

async function publishedListing(db: Kysely<DB>, listingId: string) {
  const listing = await findListing(db, listingId)
  if (!listing) throw notFound('listing', listingId)
  if (listing.status !== 'published')
    throw conflict('listing_unavailable', `The listing is ${listing.status}, not published; it cannot be booked.`)
  return listing
}

/** Busy intervals (without buffers) of a listing that can matter for [from, to) under `bufferMinutes`. */
async function busyAround(db: Kysely<DB>, listingId: string, from: Date, to: Date, bufferMinutes: number) {
  const pad = bufferMinutes * MINUTE
  const rows = await busyBookings(db, listingId, new Date(from.getTime() - pad), new Date(to.getTime() + pad))
  return rows.map((r) => ({ start: new Date(r.start), end: new Date(r.end) }))
}

/** `GET /v1/availability/:listingId`: the bookable slots of a published listing in [from, to). */
export async function getAvailability(
  deps: BookingsDeps,
  listingId: string,
  from: Date,
  to: Date,
): Promise<AvailabilityResponse> {
  const listing = await publishedListing(deps.db, listingId)
  const { rules, availability } = listingTerms(listing)
  const reach = rules.maxDurationMinutes * MINUTE
  const busy = await busyAround(
    deps.db,
    listingId,
    new Date(from.getTime() - reach),
    new Date(to.getTime() + reach),
    rules.bufferMinutes,
  )
  const slots = bookableSlots({
    availability,
    rules,
    busy,
    bufferMinutes: rules.bufferMinutes,
    from,
    to,
    now: deps.clock.now(),
  })
  return {
    listingId,
    timezone: availability.timezone,
    slots: slots.map((s) => ({ start: s.start.toISOString(), end: s.end.toISOString() })),
  }
}

/** The price of [start, end) under the listing's pricing, fixed on the booking. */
export function priceSnapshot(pricing: Pricing, start: Date, end: Date): PriceSnapshot {
  const deposit = pricing.deposit?.amount ?? 0
  if (pricing.model === 'free') {
    return {
      model: 'free',
      unit: null,
      unitAmount: 0,
      quantity: 1,
      amount: 0,
      deposit,
      currency: pricing.deposit?.currency ?? 'CNY',
    }
  }
  const hours = (end.getTime() - start.getTime()) / HOUR
  const quantity = pricing.unit === 'hour' ? hours : 1
  return {
    model: 'fee',
    unit: pricing.unit,
    unitAmount: pricing.price.amount,
    quantity,
    amount: Math.round(pricing.price.amount * quantity),
    deposit,
    currency: pricing.price.currency,
  }
}

const isPgError = (error: unknown, ...codes: string[]) =>
  typeof error === 'object' && error !== null && codes.includes((error as { code?: string }).code ?? '')

const slotUnavailable = () =>
  conflict('slot_unavailable', 'Another booking holds this time (including the buffer between bookings).')

/**
 * The problem a failed booking insert means to the caller: 409 `slot_unavailable` for the exclusion
 * constraint (23P01) and for the deadlock two inserts into overlapping ranges can run into (40P01), which
 * is the same conflict seen from the losing side. Undefined for anything else.
 */
export function slotProblem(error: unknown): AppError | undefined {
  return isPgError(error, '23P01', '40P01') ? slotUnavailable() : undefined
}

/** What a create call answers; stored under the Idempotency-Key for replays. */
export interface CreateOutcome {
  statusCode: number
  booking: Booking
}

/** The timer a booking in `status` waits for, if any. */
function timerFor(row: BookingRow, now: Date) {
  switch (row.status) {
    case 'pending_payment':
      return { kind: 'payment_hold' as const, runAt: new Date(now.getTime() + PAYMENT_HOLD_MS) }
    case 'requested':
      return {
        kind: 'request_expiry' as const,
        runAt: new Date(Math.min(now.getTime() + REQUEST_TTL_MS, row.startAt.getTime() - HOUR)),
      }
    case 'confirmed':
      return { kind: 'auto_complete' as const, runAt: new Date(row.endAt.getTime() + AUTO_COMPLETE_AFTER_MS) }
    case 'completed':
    case 'no_show':
      // The deposit stays authorised while the provider may still report damage.
      return row.price.deposit > 0 && row.depositRetained === 0
        ? { kind: 'deposit_release' as const, runAt: new Date(row.endAt.getTime() + DAMAGE_WINDOW_MS) }
        : undefined
    default:
      return undefined
  }
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
      await recordPaymentRows(trx, row, deps.payments.name, payment.externalIds, now)
      const timer = timerFor(row, now)
      if (timer) await scheduleTimer(trx, row.id, timer.kind, timer.runAt)
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
        await trx
          .insertInto('idempotencyKeys')
          .values({
            userId: actor.userId,
            key: idempotencyKey,
            requestHash,
            statusCode: 201,
            response: JSON.stringify(outcome.booking),
          })
          .execute()
      }
      return outcome
    })
  } catch (error) {
    if (Object.keys(payment.externalIds).length > 0) {
      // No booking, so no authorisation may stay behind. Best effort: an intent left over expires at Stripe.
      const parts = partsOf(price, payment.externalIds)
      await deps.payments.release({ bookingId: id, price, parts }, payment.status).catch(() => {})
    }
    if (idempotencyKey && isPgError(error, '23P01', '40P01', '23505')) {
      const replay = await replayed(deps.db, actor.userId, idempotencyKey, requestHash)
      if (replay) return replay
    }
    throw slotProblem(error) ?? error
  }
}

async function replayed(
  db: Kysely<DB>,
  userId: string,
  key: string,
  requestHash: string,
): Promise<CreateOutcome | undefined> {
  const stored = await db
    .selectFrom('idempotencyKeys')
    .selectAll()
    .where('userId', '=', userId)
    .where('key', '=', key)
    .executeTakeFirst()
  if (!stored) return undefined
  if (stored.requestHash !== requestHash)
    throw unprocessable('idempotency_key_reused', 'This Idempotency-Key was used with another request body.')
  return { statusCode: stored.statusCode, booking: stored.response as Booking }
}

function partsOf(price: PriceSnapshot, externalIds: Partial<Record<PaymentPart['purpose'], string>>): PaymentPart[] {
  const parts: PaymentPart[] = [
    { purpose: 'charge', amount: price.amount, externalId: externalIds.charge ?? null },
    { purpose: 'deposit', amount: price.deposit, externalId: externalIds.deposit ?? null },
  ]
  return parts.filter((p) => p.amount > 0)
}

async function recordPaymentRows(
  trx: Transaction<DB>,
  row: BookingRow,
  provider: string,
  externalIds: Partial<Record<PaymentPart['purpose'], string>>,
  now: Date,
) {
  for (const p of partsOf(row.price, externalIds)) {
    await trx
      .insertInto('payments')
      .values({
        id: newId(),
        bookingId: row.id,
        purpose: p.purpose,
        provider,
        status: row.paymentStatus,
        amount: p.amount,
        currency: row.price.currency,
        externalId: p.externalId,
        method: null,
        reference: null,
        createdAt: now,
        updatedAt: now,
      })
      .execute()
  }
}

/** The payment subject of a booking, with its stored parts. */
export async function paymentSubject(trx: Transaction<DB>, row: BookingRow): Promise<PaymentSubject> {
  const parts = await trx
    .selectFrom('payments')
    .select(['purpose', 'amount', 'externalId'])
    .where('bookingId', '=', row.id)
    .execute()
  return { bookingId: row.id, price: row.price, parts }
}

/** The roles the actor plays in a booking. */
export function partiesOf(actor: Actor, row: BookingRow): Party[] {
  const parties: Party[] = []
  const providerRole = actor.roles[row.providerOrganizationId]
  if (providerRole === 'owner' || providerRole === 'admin') parties.push('provider')
  if (actor.roles[row.requesterOrganizationId] || actor.userId === row.requesterUserId) parties.push('requester')
  return parties
}

const canSee = (actor: Actor, row: BookingRow) =>
  actor.moderator ||
  actor.userId === row.requesterUserId ||
  Boolean(actor.roles[row.requesterOrganizationId]) ||
  Boolean(actor.roles[row.providerOrganizationId])

/**
 * Applies an event to a locked booking: the new state, the money that moves with it, the next timer, the
 * audit entry and the `booking.changed` event. Shared by participants' actions and timers.
 */
export async function applyTransition(
  trx: Transaction<DB>,
  deps: BookingsDeps,
  row: BookingRow,
  event: BookingEvent,
  by: { actorUserId: string | null; parties: Party[]; moderatorOverride: boolean; reason: string | null },
): Promise<BookingRow> {
  const now = deps.clock.now()
  let status = nextStatus(row.status, event)
  const listing = await findListing(trx, row.listingId)
  const rules = listing ? BookingRules.parse(listing.rules) : undefined
  // An instant-book listing confirms as soon as the payment is authorised.
  if (event === 'paid') {
    if (rules?.mode === 'instant' && (await instantBookAllowed(trx, row.requesterOrganizationId, now))) {
      status = 'confirmed'
    }
  }
  const subject = await paymentSubject(trx, row)
  let paymentStatus: PaymentStatus = event === 'paid' ? 'authorized' : row.paymentStatus
  let refunded = row.refundedAmount
  if (status === 'confirmed') paymentStatus = await deps.payments.capture(subject, paymentStatus)
  if (status === 'declined' || status === 'expired' || status === 'payment_expired')
    paymentStatus = await deps.payments.release(subject, paymentStatus)
  if (status === 'cancelled') {
    const byProvider = cancelsAsProvider(by.parties, by.moderatorOverride)
    const refund = cancellationRefund({ ...row, paymentStatus }, cancellationPolicyOf(rules), byProvider, now)
    if (paymentStatus === 'paid') {
      refunded = refund.amount
      paymentStatus = await deps.payments.refund(subject, paymentStatus, refunded)
    } else {
      paymentStatus = await deps.payments.release(subject, paymentStatus)
    }
  }
  const saved = await saveBooking(trx, row.id, { status, paymentStatus, reason: by.reason ?? row.reason, now })
  if (refunded !== row.refundedAmount) {
    await trx.updateTable('bookings').set({ refundedAmount: refunded }).where('id', '=', row.id).execute()
    saved.refundedAmount = refunded
    await trx
      .updateTable('payments')
      .set({ refundedAmount: refunded, updatedAt: now })
      .where('bookingId', '=', row.id)
      .where('purpose', '=', 'charge')
      .execute()
  }
  // Offline payment rows follow the booking; Stripe rows follow the PaymentIntents (webhooks).
  if (row.paymentProvider === 'offline') {
    await trx
      .updateTable('payments')
      .set({ status: paymentStatus, updatedAt: now })
      .where('bookingId', '=', row.id)
      .execute()
  }
  // Whatever timer the old state waited for is moot; the new state may wait for another.
  await trx
    .updateTable('timers')
    .set({ doneAt: now })
    .where('bookingId', '=', row.id)
    .where('doneAt', 'is', null)
    .execute()
  const timer = timerFor(saved, now)
  if (timer) await scheduleTimer(trx, saved.id, timer.kind, timer.runAt)
  await audit(trx, {
    bookingId: row.id,
    actorUserId: by.actorUserId,
    actorRole: actingRole(event, by),
    action: event,
    fromStatus: row.status,
    toStatus: saved.status,
    reason: by.reason,
    moderatorOverride: by.moderatorOverride,
    at: now,
  })
  await appendEvent(trx, bookingChanged(saved))
  return saved
}

/**
 * `POST /v1/bookings/:id/<action>`. Provider admins accept, decline, complete and report no-shows;
 * requesters and providers cancel; moderators may do anything, recorded as an override in the audit trail.
 * Others see 404 (a booking is private to its participants).
 */
export async function transitionBooking(
  deps: BookingsDeps,
  actor: Actor,
  id: string,
  action: BookingAction,
  reason: string | undefined,
): Promise<Booking> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await lockBooking(trx, id)
    if (!row || !canSee(actor, row)) throw notFound('booking', id)
    const parties = partiesOf(actor, row)
    const permitted = mayAct(parties, action)
    if (!permitted && !actor.moderator) throw forbidden(`You may not ${action} this booking.`)
    nextStatus(row.status, action)
    if (permitted) {
      const late = timingProblem(action, { start: row.startAt, end: row.endAt }, deps.clock.now())
      if (late) throw new AppError('invalid_transition', 409, late, { body: { from: row.status, action } })
    }
    const saved = await applyTransition(trx, deps, row, action, {
      actorUserId: actor.userId,
      parties,
      moderatorOverride: !permitted,
      reason: reason ?? null,
    })
    return toBookingDto(saved)
  })
}

/** Locks a booking the actor may see, refusing unless they act for its provider (or moderate). */
async function lockAsProvider(trx: Transaction<DB>, actor: Actor, id: string, refusal: string) {
  const row = await lockBooking(trx, id)
  if (!row || !canSee(actor, row)) throw notFound('booking', id)
  const parties = partiesOf(actor, row)
  if (!parties.includes('provider') && !actor.moderator) throw forbidden(refusal)
  return { row, parties }
}

/** `POST /v1/bookings/:id/payment` (offline): the provider records the money received. */
export async function recordOfflinePayment(
  deps: BookingsDeps,
  actor: Actor,
  id: string,
  body: { method: string; reference: string },
): Promise<Booking> {
  return deps.db.transaction().execute(async (trx) => {
    const { row, parties } = await lockAsProvider(trx, actor, id, 'Only the provider records a payment received.')
    if (row.paymentProvider !== 'offline')
      throw conflict('payment_not_offline', 'This booking is paid online; its payment is recorded by the provider.')
    if (row.paymentStatus !== 'due') throw conflict('payment_not_due', `The payment is ${row.paymentStatus}.`)
    const now = deps.clock.now()
    await trx
      .updateTable('payments')
      .set({ status: 'paid', method: body.method, reference: body.reference, updatedAt: now })
      .where('bookingId', '=', id)
      .execute()
    const saved = await saveBooking(trx, id, { status: row.status, paymentStatus: 'paid', reason: row.reason, now })
    await audit(trx, {
      bookingId: id,
      actorUserId: actor.userId,
      actorRole: parties.includes('provider') ? 'provider' : 'moderator',
      action: 'record_payment',
      fromStatus: row.status,
      toStatus: saved.status,
      reason: `${body.method}: ${body.reference}`,
      moderatorOverride: !parties.includes('provider'),
      at: now,
    })
    await appendEvent(trx, bookingChanged(saved))
    return toBookingDto(saved)
  })
}

/**
 * `POST /v1/bookings/:id/damage`: the provider keeps (part of) the deposit of a completed booking (or a
 * no-show) within 48 h of its end; the rest is released. Once per booking.
 */
export async function reportDamage(
  deps: BookingsDeps,
  actor: Actor,
  id: string,
  body: { amount: number; reason: string },
): Promise<Booking> {
  return deps.db.transaction().execute(async (trx) => {
    const { row, parties } = await lockAsProvider(trx, actor, id, 'Only the provider reports damage.')
    const now = deps.clock.now()
    if (row.status !== 'completed' && row.status !== 'no_show') throw invalidTransition(row.status, 'report damage')
    if (row.price.deposit === 0 || row.depositRetained > 0)
      throw conflict('no_deposit_held', 'This booking holds no deposit (any more).')
    if (now.getTime() > row.endAt.getTime() + DAMAGE_WINDOW_MS && !actor.moderator)
      throw conflict('damage_window_closed', 'Damage is reported within 48 hours of the end.')
    if (body.amount > row.price.deposit)
      throw unprocessable('amount_exceeds_deposit', `The deposit is ${row.price.deposit}.`)
    await deps.payments.retainDeposit(await paymentSubject(trx, row), body.amount)
    await trx
      .updateTable('bookings')
      .set({ depositRetained: body.amount, updatedAt: now, version: sql<number>`version + 1` })
      .where('id', '=', id)
      .execute()
    await trx
      .updateTable('timers')
      .set({ doneAt: now })
      .where('bookingId', '=', id)
      .where('kind', '=', 'deposit_release')
      .where('doneAt', 'is', null)
      .execute()
    await audit(trx, {
      bookingId: id,
      actorUserId: actor.userId,
      actorRole: parties.includes('provider') ? 'provider' : 'moderator',
      action: 'report_damage',
      fromStatus: row.status,
      toStatus: row.status,
      reason: `${body.amount}: ${body.reason}`,
      moderatorOverride: !parties.includes('provider'),
      at: now,
    })
    const saved = await findBooking(trx, id)
    await appendEvent(trx, bookingChanged(saved!))
    return toBookingDto(saved!)
  })
}

/** The damage window closed without a report: the deposit goes back (timer `deposit_release`). */
export async function releaseDeposit(trx: Transaction<DB>, deps: BookingsDeps, row: BookingRow): Promise<void> {
  if (row.depositRetained > 0) return
  await deps.payments.releaseDeposit(await paymentSubject(trx, row))
  await audit(trx, {
    bookingId: row.id,
    actorUserId: null,
    actorRole: 'system',
    action: 'release_deposit',
    fromStatus: row.status,
    toStatus: row.status,
    reason: 'timer:deposit_release',
    moderatorOverride: false,
    at: deps.clock.now(),
  })
}

/** A booking the actor may see (participants and moderators); a 404 problem for anyone else. */
async function visibleBooking(db: Kysely<DB>, actor: Actor, id: string): Promise<BookingRow> {
  const row = await findBooking(db, id)
  if (!row || !canSee(actor, row)) throw notFound('booking', id)
  return row
}

/** `GET /v1/bookings/:id`: participants and moderators only; others get 404. */
export async function getBooking(deps: BookingsDeps, actor: Actor, id: string): Promise<Booking> {
  return toBookingDto(await visibleBooking(deps.db, actor, id))
}

/**
 * `GET /v1/bookings/:id/history`: the audit trail, oldest first, for those who may see the booking. Actors
 * appear by the role they acted in, never by user id: the requester side need not learn who at the
 * provider declined, nor the provider which moderator stepped in.
 */
export async function getBookingHistory(deps: BookingsDeps, actor: Actor, id: string): Promise<BookingHistory> {
  await visibleBooking(deps.db, actor, id)
  const rows = await auditTrail(deps.db, id)
  return {
    items: rows.map((r) => ({
      action: r.action,
      fromStatus: r.fromStatus,
      toStatus: r.toStatus,
      at: r.at.toISOString(),
      reason: r.reason,
      by: r.actorRole,
    })),
  }
}

/**
 * `GET /v1/bookings/:id/refund-preview`: what a cancellation by this actor would refund now, computed as the
 * cancel transition computes it. Permissions are the cancel's (404 unseen, 403 for those who may not
 * cancel); a booking past cancelling is an answer (`cancellable: false`), not an error, so a UI can ask
 * for any booking it shows.
 */
export async function previewRefund(deps: BookingsDeps, actor: Actor, id: string): Promise<RefundPreview> {
  const row = await visibleBooking(deps.db, actor, id)
  const parties = partiesOf(actor, row)
  const permitted = mayAct(parties, 'cancel')
  if (!permitted && !actor.moderator) throw forbidden('You may not cancel this booking.')
  const listing = await findListing(deps.db, row.listingId)
  const policy = cancellationPolicyOf(listing ? BookingRules.parse(listing.rules) : undefined)
  const now = deps.clock.now()
  const base = { policy, currency: row.price.currency }
  if (
    !allows(row.status, 'cancel') ||
    (permitted && timingProblem('cancel', { start: row.startAt, end: row.endAt }, now))
  )
    return { ...base, share: 0, amount: 0, depositReleased: 0, cancellable: false }
  const { share, amount } = cancellationRefund(row, policy, cancelsAsProvider(parties, !permitted), now)
  return { ...base, share, amount, depositReleased: row.price.deposit - row.depositRetained, cancellable: true }
}

const ListCursor = z.object({ id: z.uuid() })

/** `GET /v1/bookings`: an organization's bookings as requester or provider, newest first. */
export async function listBookingsOf(
  deps: BookingsDeps,
  actor: Actor,
  q: {
    as: 'requester' | 'provider'
    organizationId: string
    status?: BookingStatus | undefined
    cursor?: string | undefined
    limit: number
  },
) {
  if (!actor.roles[q.organizationId] && !actor.moderator)
    throw forbidden('Only members of the organization see its bookings.')
  const afterId = readCursor(ListCursor, q.cursor)?.id
  const rows = await listBookings(deps.db, { ...q, afterId })
  return pageOf(rows, q.limit, toBookingDto, (last) => ({ id: last.id }))
}
