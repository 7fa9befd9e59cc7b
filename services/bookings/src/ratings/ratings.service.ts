import {
  type Actor,
  type BookingRatings,
  type CreateRatingBody,
  type HiddenRating,
  RATING_DIMENSIONS,
  type Rating,
  type RatingAuditEntry,
  type RatingSide,
  type UpdateRatingBody,
} from '@commons/contracts'
import { newId } from '@commons/db'
import { conflict, forbidden, notFound, pageOf, readCursor, unprocessable } from '@commons/service-kit'
import type { Kysely, Transaction } from 'kysely'
import { z } from 'zod'
import type { BookingRow, DB, RatingRow, RatingWindowRow } from '../db/schema.ts'
import type { BookingsDeps } from '../deps.ts'
import { publishReputation, subjectsOf } from '../reputation/reputation.service.ts'

/** Each side may rate within this long of the completion (DESIGN.md §3). */
export const RATING_WINDOW_MS = 14 * 86_400_000

const isPgError = (error: unknown, code: string, constraint?: string) =>
  typeof error === 'object' &&
  error !== null &&
  (error as { code?: string }).code === code &&
  (!constraint || (error as { constraint?: string }).constraint === constraint)

const isAdmin = (actor: Actor, orgId: string) => actor.roles[orgId] === 'owner' || actor.roles[orgId] === 'admin'

/** The side the actor rates for: the booking member or the group's admins; the provider's admins. */
function sidesOf(actor: Actor, b: BookingRow): RatingSide[] {
  const sides: RatingSide[] = []
  if (actor.userId === b.requesterUserId || isAdmin(actor, b.requesterOrganizationId)) sides.push('requester')
  if (isAdmin(actor, b.providerOrganizationId)) sides.push('provider')
  return sides
}

const canSeeBooking = (actor: Actor, b: BookingRow) =>
  actor.moderator ||
  actor.userId === b.requesterUserId ||
  Boolean(actor.roles[b.requesterOrganizationId]) ||
  Boolean(actor.roles[b.providerOrganizationId])

/** The API shape of a rating. */
export function toRatingDto(row: RatingRow, reply?: { body: string; createdAt: Date } | null): Rating {
  return {
    id: row.id,
    bookingId: row.bookingId,
    side: row.side,
    listingId: row.listingId,
    listingKind: row.listingKind,
    raterOrganizationId: row.raterOrganizationId,
    rateeOrganizationId: row.rateeOrganizationId,
    rateeMemberId: row.rateeMemberId,
    score: row.score,
    dimensions: row.dimensions,
    comment: row.comment,
    createdAt: row.createdAt.toISOString(),
    publishedAt: row.publishedAt?.toISOString() ?? null,
    hidden: row.hiddenAt !== null,
    reply: reply ? { body: reply.body, createdAt: reply.createdAt.toISOString() } : null,
  }
}

/** When the booking completed, from its audit trail (the last move into `completed`). */
async function completedAt(trx: Transaction<DB>, booking: BookingRow): Promise<Date> {
  const row = await trx
    .selectFrom('bookingAudit')
    .select('at')
    .where('bookingId', '=', booking.id)
    .where('toStatus', '=', 'completed')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row?.at ?? booking.updatedAt
}

/**
 * The rating window of a completed booking, created on first need (by the booking.changed consumer or by
 * the first rating, whichever comes first) and locked for the rest of the transaction: both sides' ratings
 * and the closing timer serialise on it, so "the other side has rated" is never decided by two
 * transactions at once.
 */
export async function lockWindow(trx: Transaction<DB>, booking: BookingRow): Promise<RatingWindowRow> {
  const existing = await trx
    .selectFrom('ratingWindows')
    .selectAll()
    .where('bookingId', '=', booking.id)
    .forUpdate()
    .executeTakeFirst()
  if (existing) return existing
  const at = await completedAt(trx, booking)
  await trx
    .insertInto('ratingWindows')
    .values({
      bookingId: booking.id,
      completedAt: at,
      closesAt: new Date(at.getTime() + RATING_WINDOW_MS),
      publishedAt: null,
      voidedAt: null,
    })
    .onConflict((oc) => oc.column('bookingId').doNothing())
    .execute()
  return trx
    .selectFrom('ratingWindows')
    .selectAll()
    .where('bookingId', '=', booking.id)
    .forUpdate()
    .executeTakeFirstOrThrow()
}

/**
 * Publishes every rating of a window at once (both rated, or the window closed) and appends the
 * reputation events of what they rated. Called with the window locked.
 */
export async function publishWindow(trx: Transaction<DB>, window: RatingWindowRow, now: Date): Promise<void> {
  const published = await trx
    .updateTable('ratings')
    .set({ publishedAt: now })
    .where('bookingId', '=', window.bookingId)
    .where('publishedAt', 'is', null)
    .returningAll()
    .execute()
  await trx.updateTable('ratingWindows').set({ publishedAt: now }).where('bookingId', '=', window.bookingId).execute()
  await publishReputation(trx, published.filter((r) => r.hiddenAt === null).flatMap(subjectsOf))
}

function checkDimensions(kind: BookingRow['listingKind'], side: RatingSide, dimensions: Record<string, number>) {
  const allowed = RATING_DIMENSIONS[side === 'requester' ? kind : 'requester']
  const unknown = Object.keys(dimensions).filter((d) => !allowed.includes(d))
  if (unknown.length > 0)
    throw unprocessable(
      'unknown_dimension',
      `Not a dimension of this rating: ${unknown.join(', ')}. Allowed: ${allowed.join(', ')}.`,
      { allowed },
    )
}

async function bookingFor(db: Kysely<DB>, actor: Actor, id: string): Promise<BookingRow> {
  const booking = await db.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirst()
  if (!booking || !canSeeBooking(actor, booking)) throw notFound('booking', id)
  return booking
}

/**
 * `POST /v1/bookings/:id/ratings`: one rating per side of a completed booking, within 14 days of the
 * completion. It stays hidden until the other side has rated (then both publish at once) or the window
 * closes (the closing timer publishes).
 */
export async function rateBooking(
  deps: BookingsDeps,
  actor: Actor,
  bookingId: string,
  body: CreateRatingBody,
): Promise<Rating> {
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const booking = await bookingFor(trx, actor, bookingId)
      const sides = sidesOf(actor, booking)
      if (sides.length === 0)
        throw forbidden(
          'Only the booking member, the group’s admins or the provider’s admins rate a booking.',
          'not_a_party',
        )
      if (sides.length > 1) throw forbidden('An organization does not rate its own booking.', 'self_rating')
      const side = sides[0]!
      if (booking.status !== 'completed')
        throw conflict('booking_not_completed', `The booking is ${booking.status}; only completed bookings are rated.`)
      const window = await lockWindow(trx, booking)
      const now = deps.clock.now()
      if (window.publishedAt || window.voidedAt || now >= window.closesAt)
        throw conflict('rating_window_closed', 'Ratings are given within 14 days of the completion.')
      const dimensions = body.dimensions ?? {}
      checkDimensions(booking.listingKind, side, dimensions)
      const row = await trx
        .insertInto('ratings')
        .values({
          id: newId(),
          bookingId,
          side,
          listingId: booking.listingId,
          listingKind: booking.listingKind,
          raterOrganizationId: side === 'requester' ? booking.requesterOrganizationId : booking.providerOrganizationId,
          raterUserId: actor.userId,
          rateeOrganizationId: side === 'requester' ? booking.providerOrganizationId : booking.requesterOrganizationId,
          rateeMemberId: side === 'provider' ? booking.requesterUserId : null,
          score: body.score,
          dimensions: JSON.stringify(dimensions),
          comment: body.comment ?? null,
          createdAt: now,
          updatedAt: now,
          publishedAt: null,
          hiddenAt: null,
          hiddenReason: null,
          hiddenBy: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      const count = await trx
        .selectFrom('ratings')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('bookingId', '=', bookingId)
        .executeTakeFirstOrThrow()
      if (Number(count.n) === 2) {
        await publishWindow(trx, window, now)
        row.publishedAt = now
      }
      return toRatingDto(row)
    })
  } catch (error) {
    if (isPgError(error, '23505', 'ratings_one_per_side'))
      throw conflict('already_rated', 'This side has already rated the booking.')
    throw error
  }
}

/** `PATCH /v1/ratings/:id`: the rater changes a rating while it is hidden; published ratings are final. */
export async function updateRating(
  deps: BookingsDeps,
  actor: Actor,
  ratingId: string,
  body: UpdateRatingBody,
): Promise<Rating> {
  return deps.db.transaction().execute(async (trx) => {
    const rating = await trx.selectFrom('ratings').selectAll().where('id', '=', ratingId).executeTakeFirst()
    if (!rating || (rating.publishedAt === null && rating.raterUserId !== actor.userId))
      throw notFound('rating', ratingId)
    if (rating.raterUserId !== actor.userId) throw forbidden('Only the rater changes a rating.')
    const booking = await trx
      .selectFrom('bookings')
      .selectAll()
      .where('id', '=', rating.bookingId)
      .executeTakeFirstOrThrow()
    // Serialise with the other side's rating and the closing timer, then re-read.
    const window = await lockWindow(trx, booking)
    const current = await trx.selectFrom('ratings').selectAll().where('id', '=', ratingId).executeTakeFirstOrThrow()
    if (current.publishedAt) throw conflict('rating_published', 'A published rating can no longer change.')
    if (window.voidedAt || deps.clock.now() >= window.closesAt)
      throw conflict('rating_window_closed', 'Ratings are given within 14 days of the completion.')
    if (body.dimensions) checkDimensions(current.listingKind, current.side, body.dimensions)
    const saved = await trx
      .updateTable('ratings')
      .set({
        score: body.score ?? current.score,
        comment: body.comment === undefined ? current.comment : body.comment,
        dimensions: JSON.stringify(body.dimensions ?? current.dimensions),
        updatedAt: deps.clock.now(),
      })
      .where('id', '=', ratingId)
      .returningAll()
      .executeTakeFirstOrThrow()
    return toRatingDto(saved)
  })
}

async function repliesOf(db: Kysely<DB>, ids: string[]) {
  if (ids.length === 0) return new Map<string, { body: string; createdAt: Date }>()
  const rows = await db.selectFrom('ratingReplies').selectAll().where('ratingId', 'in', ids).execute()
  return new Map(rows.map((r) => [r.ratingId, r]))
}

/**
 * `GET /v1/bookings/:id/ratings`: the caller's own rating (hidden or not) and, once published, the other
 * side's. Moderators see both. Others get 404, as for the booking.
 */
export async function getBookingRatings(deps: BookingsDeps, actor: Actor, bookingId: string): Promise<BookingRatings> {
  const booking = await bookingFor(deps.db, actor, bookingId)
  const sides = sidesOf(actor, booking)
  const [window, rows] = await Promise.all([
    deps.db.selectFrom('ratingWindows').selectAll().where('bookingId', '=', bookingId).executeTakeFirst(),
    deps.db.selectFrom('ratings').selectAll().where('bookingId', '=', bookingId).orderBy('createdAt').execute(),
  ])
  const visible = rows.filter((r) => r.publishedAt !== null || sides.includes(r.side) || actor.moderator)
  const replies = await repliesOf(
    deps.db,
    visible.map((r) => r.id),
  )
  const now = deps.clock.now()
  const state = !window
    ? booking.status === 'completed'
      ? 'open'
      : 'not_open'
    : window.publishedAt
      ? 'published'
      : window.voidedAt
        ? 'void'
        : now >= window.closesAt
          ? 'published' // closing; the timer publishes on its next run
          : 'open'
  return {
    bookingId,
    window: {
      state,
      closesAt: window?.closesAt.toISOString() ?? null,
      publishedAt: window?.publishedAt?.toISOString() ?? null,
    },
    otherSideRated: rows.some((r) => !sides.includes(r.side)),
    ratings: visible.map((r) => toRatingDto(r, replies.get(r.id))),
  }
}

const ListCursor = z.object({ p: z.string(), id: z.uuid() })

/** `GET /v1/ratings`: published ratings that no moderator hid, newest first, by listing, organization or member. */
export async function listRatings(
  deps: BookingsDeps,
  q: {
    listingId?: string | undefined
    organizationId?: string | undefined
    memberId?: string | undefined
    role?: 'provider' | 'requester' | undefined
    cursor?: string | undefined
    limit: number
  },
) {
  let query = deps.db
    .selectFrom('ratings')
    .selectAll()
    .where('publishedAt', 'is not', null)
    .where('hiddenAt', 'is', null)
  if (q.listingId) query = query.where('listingId', '=', q.listingId).where('side', '=', 'requester')
  if (q.memberId) query = query.where('rateeMemberId', '=', q.memberId)
  if (q.organizationId) {
    query = query.where('rateeOrganizationId', '=', q.organizationId)
    if (q.role) query = query.where('side', '=', q.role === 'provider' ? 'requester' : 'provider')
  }
  const c = readCursor(ListCursor, q.cursor)
  if (c) {
    const at = new Date(c.p)
    query = query.where((eb) =>
      eb.or([eb('publishedAt', '<', at), eb.and([eb('publishedAt', '=', at), eb('id', '<', c.id)])]),
    )
  }
  const rows = await query
    .orderBy('publishedAt', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute()
  const replies = await repliesOf(
    deps.db,
    rows.slice(0, q.limit).map((r) => r.id),
  )
  return pageOf(
    rows,
    q.limit,
    (r) => toRatingDto(r, replies.get(r.id)),
    (last) => ({ p: last.publishedAt!.toISOString(), id: last.id }),
  )
}

async function publishedRating(db: Kysely<DB>, id: string): Promise<RatingRow> {
  const rating = await db.selectFrom('ratings').selectAll().where('id', '=', id).executeTakeFirst()
  if (!rating || rating.publishedAt === null) throw notFound('rating', id)
  return rating
}

/** `POST /v1/ratings/:id/reply`: one public reply, by the rated side (its admins, or the rated member). */
export async function replyToRating(deps: BookingsDeps, actor: Actor, id: string, body: string): Promise<Rating> {
  const rating = await publishedRating(deps.db, id)
  const rated =
    isAdmin(actor, rating.rateeOrganizationId) ||
    (rating.rateeMemberId !== null && actor.userId === rating.rateeMemberId)
  if (!rated) throw forbidden('Only the rated side replies to a rating.', 'not_rated_side')
  const now = deps.clock.now()
  const inserted = await deps.db
    .insertInto('ratingReplies')
    .values({ ratingId: id, authorUserId: actor.userId, body, createdAt: now })
    .onConflict((oc) => oc.column('ratingId').doNothing())
    .returningAll()
    .executeTakeFirst()
  if (!inserted) throw conflict('already_replied', 'This rating already has its reply.')
  return toRatingDto(rating, inserted)
}

/** `POST /v1/ratings/:id/reports`: anyone signed in reports a published rating to the moderators (once). */
export async function reportRating(deps: BookingsDeps, actor: Actor, id: string, reason: string) {
  await publishedRating(deps.db, id)
  const now = deps.clock.now()
  await deps.db
    .insertInto('ratingReports')
    .values({ ratingId: id, reporterUserId: actor.userId, reason, createdAt: now })
    .onConflict((oc) => oc.columns(['ratingId', 'reporterUserId']).doUpdateSet({ reason, createdAt: now }))
    .execute()
  return { ratingId: id, reporterUserId: actor.userId, reason, createdAt: now.toISOString() }
}

/** `GET /v1/ratings/reports` (moderators): reports, newest first, with cursor pagination. */
export async function listReports(deps: BookingsDeps, q: { cursor?: string | undefined; limit: number }) {
  const Cursor = z.object({ p: z.string(), r: z.uuid(), u: z.uuid() })
  let query = deps.db.selectFrom('ratingReports').selectAll()
  const c = readCursor(Cursor, q.cursor)
  if (c) {
    const at = new Date(c.p)
    query = query.where((eb) =>
      eb.or([
        eb('createdAt', '<', at),
        eb.and([
          eb('createdAt', '=', at),
          eb.or([eb('ratingId', '<', c.r), eb.and([eb('ratingId', '=', c.r), eb('reporterUserId', '<', c.u)])]),
        ]),
      ]),
    )
  }
  const rows = await query
    .orderBy('createdAt', 'desc')
    .orderBy('ratingId', 'desc')
    .orderBy('reporterUserId', 'desc')
    .limit(q.limit + 1)
    .execute()
  return pageOf(
    rows,
    q.limit,
    (r) => ({ ...r, createdAt: r.createdAt.toISOString() }),
    (last) => ({ p: last.createdAt.toISOString(), r: last.ratingId, u: last.reporterUserId }),
  )
}

/**
 * `POST /v1/ratings/:id/hide` (moderators): hides a rating with a recorded reason (audited). A hidden rating
 * leaves lists and reputation; its subjects get a new `reputation.updated`.
 */
export async function hideRating(deps: BookingsDeps, actor: Actor, id: string, reason: string): Promise<Rating> {
  return setHidden(deps, actor, id, 'hide', reason)
}

export async function unhideRating(deps: BookingsDeps, actor: Actor, id: string, reason: string): Promise<Rating> {
  return setHidden(deps, actor, id, 'unhide', reason)
}

/**
 * A moderator hides a rating or shows it again: the rating, its audit row and (for a published rating, which
 * counts in reputation) the recomputed reputation commit together.
 */
async function setHidden(
  deps: BookingsDeps,
  actor: Actor,
  id: string,
  action: 'hide' | 'unhide',
  reason: string,
): Promise<Rating> {
  return deps.db.transaction().execute(async (trx) => {
    const rating = await trx.selectFrom('ratings').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
    if (!rating) throw notFound('rating', id)
    const hide = action === 'hide'
    if (hide && rating.hiddenAt) throw conflict('already_hidden', 'This rating is hidden already.')
    if (!hide && !rating.hiddenAt) throw conflict('not_hidden', 'This rating is not hidden.')
    const now = deps.clock.now()
    const saved = await trx
      .updateTable('ratings')
      .set(
        hide
          ? { hiddenAt: now, hiddenReason: reason, hiddenBy: actor.userId }
          : { hiddenAt: null, hiddenReason: null, hiddenBy: null },
      )
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('ratingAudit')
      .values({ ratingId: id, actorUserId: actor.userId, action, reason, at: now })
      .execute()
    if (saved.publishedAt) await publishReputation(trx, subjectsOf(saved))
    const replies = await repliesOf(trx, [id])
    return toRatingDto(saved, replies.get(id))
  })
}

const HiddenCursor = z.object({ h: z.iso.datetime(), id: z.uuid() })

/** `GET /v1/ratings/hidden` (moderators): hidden ratings with the hide's reason, moderator and time, newest hide first. */
export async function listHiddenRatings(
  deps: BookingsDeps,
  q: { cursor?: string | undefined; limit: number },
): Promise<{ items: HiddenRating[]; nextCursor: string | null }> {
  let query = deps.db.selectFrom('ratings').selectAll().where('hiddenAt', 'is not', null)
  const c = readCursor(HiddenCursor, q.cursor)
  if (c) {
    const at = new Date(c.h)
    query = query.where((eb) =>
      eb.or([eb('hiddenAt', '<', at), eb.and([eb('hiddenAt', '=', at), eb('id', '<', c.id)])]),
    )
  }
  const rows = await query
    .orderBy('hiddenAt', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute()
  const replies = await repliesOf(
    deps.db,
    rows.slice(0, q.limit).map((r) => r.id),
  )
  return pageOf(
    rows,
    q.limit,
    (r) => ({
      rating: toRatingDto(r, replies.get(r.id)),
      // Set together with hiddenAt (a check constraint holds them to it).
      reason: r.hiddenReason!,
      hiddenBy: r.hiddenBy,
      hiddenAt: r.hiddenAt!.toISOString(),
    }),
    (last) => ({ h: last.hiddenAt!.toISOString(), id: last.id }),
  )
}

const AuditCursor = z.object({ a: z.iso.datetime(), id: z.number().int().positive() })

/**
 * `GET /v1/ratings/audit` (moderators): every hide and unhide, newest first by when it happened; the identity
 * id breaks ties between steps of the same millisecond, so the keyset is total and pages never repeat a row.
 */
export async function listRatingAudit(
  deps: BookingsDeps,
  q: { cursor?: string | undefined; limit: number },
): Promise<{ items: RatingAuditEntry[]; nextCursor: string | null }> {
  let query = deps.db.selectFrom('ratingAudit').selectAll()
  const c = readCursor(AuditCursor, q.cursor)
  if (c) {
    const at = new Date(c.a)
    query = query.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', c.id)])]))
  }
  const rows = await query
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute()
  return pageOf(
    rows,
    q.limit,
    (r) => ({
      id: String(r.id),
      ratingId: r.ratingId,
      action: r.action,
      actorUserId: r.actorUserId,
      reason: r.reason,
      at: r.at.toISOString(),
    }),
    (last) => ({ a: last.at.toISOString(), id: last.id }),
  )
}

/**
 * Publishes the ratings of windows that closed by the clock, one window per transaction, taken with FOR
 * UPDATE SKIP LOCKED (replicas share the work; a window is published once). Returns how many closed.
 */
export async function closeDueRatingWindows(deps: BookingsDeps, max = 100): Promise<number> {
  let closed = 0
  while (closed < max) {
    const took = await deps.db.transaction().execute(async (trx) => {
      const now = deps.clock.now()
      const window = await trx
        .selectFrom('ratingWindows')
        .selectAll()
        .where('publishedAt', 'is', null)
        .where('voidedAt', 'is', null)
        .where('closesAt', '<=', now)
        .orderBy('closesAt')
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst()
      if (!window) return false
      await publishWindow(trx, window, now)
      return true
    })
    if (!took) break
    closed += 1
  }
  return closed
}
