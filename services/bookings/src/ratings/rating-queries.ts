import type { Actor, BookingRatings, Rating } from '@commons/contracts'
import { pageOf } from '@commons/service-kit'
import { visibleBooking } from '../bookings/booking-access.ts'
import { keysetRows } from '../db/keyset.ts'
import type { BookingsDeps } from '../deps.ts'
import { toRatingDto } from './rating-dto.ts'
import { findWindow, publishedKeyset, publishedRatings, ratingsOfBooking, repliesOf } from './ratings.repository.ts'
import { sidesOf } from './ratings.service.ts'

/**
 * `GET /v1/bookings/:id/ratings`: the caller's own rating (hidden or not) and, once published, the other
 * side's. Moderators see both. Others get 404, as for the booking.
 */
export async function getBookingRatings(deps: BookingsDeps, actor: Actor, bookingId: string): Promise<BookingRatings> {
  const booking = await visibleBooking(deps.db, actor, bookingId)
  const sides = sidesOf(actor, booking)
  const [window, rows] = await Promise.all([findWindow(deps.db, bookingId), ratingsOfBooking(deps.db, bookingId)])
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
): Promise<{ items: Rating[]; nextCursor: string | null }> {
  const rows = await keysetRows(publishedRatings(deps.db, q), publishedKeyset, q)
  const replies = await repliesOf(
    deps.db,
    rows.slice(0, q.limit).map((r) => r.id),
  )
  return pageOf(rows, q.limit, (r) => toRatingDto(r, replies.get(r.id)), publishedKeyset.position)
}
