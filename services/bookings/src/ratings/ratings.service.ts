import {
  type Actor,
  type CreateRatingBody,
  RATING_DIMENSIONS,
  type Rating,
  type RatingSide,
  type UpdateRatingBody,
} from '@commons/contracts'
import { newId } from '@commons/db'
import { conflict, forbidden, notFound, unprocessable } from '@commons/service-kit'
import type { Kysely } from 'kysely'
import { visibleBooking } from '../bookings/booking-access.ts'
import { findBooking } from '../bookings/bookings.repository.ts'
import { isPgError } from '../db/pg-errors.ts'
import type { BookingRow, DB, RatingRow } from '../db/schema.ts'
import type { BookingsDeps } from '../deps.ts'
import { toRatingDto } from './rating-dto.ts'
import { lockWindow, publishWindow } from './rating-windows.ts'
import {
  countRatings,
  findRating,
  insertRating,
  insertReply,
  updateRatingRow,
  upsertReport,
} from './ratings.repository.ts'

export const isAdmin = (actor: Actor, orgId: string) => actor.roles[orgId] === 'owner' || actor.roles[orgId] === 'admin'

/** The side the actor rates for: the booking member or the group's admins; the provider's admins. */
export function sidesOf(actor: Actor, b: BookingRow): RatingSide[] {
  const sides: RatingSide[] = []
  if (actor.userId === b.requesterUserId || isAdmin(actor, b.requesterOrganizationId)) sides.push('requester')
  if (isAdmin(actor, b.providerOrganizationId)) sides.push('provider')
  return sides
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

const windowClosed = () => conflict('rating_window_closed', 'Ratings are given within 14 days of the completion.')

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
      const booking = await visibleBooking(trx, actor, bookingId)
      const sides = sidesOf(actor, booking)
      if (sides.length === 0)
        throw forbidden(
          'Only the booking member, the group’s admins or the provider’s admins rate a booking.',
          'not_a_party',
        )
      if (sides.length > 1) throw forbidden('An organization does not rate its own booking.', 'self_rating')
      const side = sides[0]!
      // A member of the rated organization (a plain member too) rates their own side, whatever group the
      // booking was made for; a booking within one organization (made before self-bookings were refused)
      // rates nothing.
      const ratee = side === 'requester' ? booking.providerOrganizationId : booking.requesterOrganizationId
      if (booking.requesterOrganizationId === booking.providerOrganizationId || actor.roles[ratee])
        throw forbidden('An organization does not rate itself.', 'self_rating')
      if (booking.status !== 'completed')
        throw conflict('booking_not_completed', `The booking is ${booking.status}; only completed bookings are rated.`)
      const window = await lockWindow(trx, deps.jobs, booking)
      const now = deps.clock.now()
      if (window.publishedAt || window.voidedAt || now >= window.closesAt) throw windowClosed()
      const dimensions = body.dimensions ?? {}
      checkDimensions(booking.listingKind, side, dimensions)
      const row = await insertRating(trx, {
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
      if ((await countRatings(trx, bookingId)) === 2) {
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
    const rating = await findRating(trx, ratingId)
    if (!rating || (rating.publishedAt === null && rating.raterUserId !== actor.userId))
      throw notFound('rating', ratingId)
    if (rating.raterUserId !== actor.userId) throw forbidden('Only the rater changes a rating.')
    const booking = await findBooking(trx, rating.bookingId)
    if (!booking) throw notFound('booking', rating.bookingId)
    // Serialise with the other side's rating and the closing timer, then re-read.
    const window = await lockWindow(trx, deps.jobs, booking)
    const current = (await findRating(trx, ratingId)) ?? rating
    if (current.publishedAt) throw conflict('rating_published', 'A published rating can no longer change.')
    const now = deps.clock.now()
    if (window.voidedAt || now >= window.closesAt) throw windowClosed()
    if (body.dimensions) checkDimensions(current.listingKind, current.side, body.dimensions)
    const saved = await updateRatingRow(trx, ratingId, {
      score: body.score ?? current.score,
      comment: body.comment === undefined ? current.comment : body.comment,
      dimensions: JSON.stringify(body.dimensions ?? current.dimensions),
      updatedAt: now,
    })
    return toRatingDto(saved)
  })
}

/** A published rating; 404 for one that is not (yet) public. */
export async function publishedRating(db: Kysely<DB>, id: string): Promise<RatingRow> {
  const rating = await findRating(db, id)
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
  const inserted = await insertReply(deps.db, {
    ratingId: id,
    authorUserId: actor.userId,
    body,
    createdAt: deps.clock.now(),
  })
  if (!inserted) throw conflict('already_replied', 'This rating already has its reply.')
  return toRatingDto(rating, inserted)
}

/** `POST /v1/ratings/:id/reports`: anyone signed in reports a published rating to the moderators (once). */
export async function reportRating(deps: BookingsDeps, actor: Actor, id: string, reason: string) {
  await publishedRating(deps.db, id)
  const now = deps.clock.now()
  await upsertReport(deps.db, { ratingId: id, reporterUserId: actor.userId, reason, createdAt: now })
  return { ratingId: id, reporterUserId: actor.userId, reason, createdAt: now.toISOString() }
}
