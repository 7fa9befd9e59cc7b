import type { Actor, BookingRatings, PublicRating } from '@commons/contracts'
import { forbidden, pageOf, unauthorized } from '@commons/service-kit'
import { visibleBooking } from '../bookings/booking-access.ts'
import { keysetRows } from '../db/keyset.ts'
import type { BookingsDeps } from '../deps.ts'
import { toPublicRatingDto, toRatingDto } from './rating-dto.ts'
import { findWindow, publishedKeyset, publishedRatings, ratingsOfBooking, repliesOf } from './ratings.repository.ts'
import { isAdmin, sidesOf } from './ratings.service.ts'

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

/**
 * `GET /v1/ratings`: published ratings that no moderator hid, newest first, by listing, organization or
 * member, without booking or member ids. A member's ratings are not public (issue 13): by `memberId`, the
 * member and moderators see them all, an admin the ones their organizations gave, anyone else 403.
 */
export async function listRatings(
  deps: BookingsDeps,
  actor: Actor | undefined,
  q: {
    listingId?: string | undefined
    organizationId?: string | undefined
    memberId?: string | undefined
    role?: 'provider' | 'requester' | undefined
    cursor?: string | undefined
    limit: number
  },
): Promise<{ items: PublicRating[]; nextCursor: string | null }> {
  let raterOrganizationIds: string[] | undefined
  if (q.memberId) {
    if (!actor) throw unauthorized('Sign in to see the ratings of a member.')
    if (actor.userId !== q.memberId && !actor.moderator) {
      raterOrganizationIds = Object.keys(actor.roles).filter((org) => isAdmin(actor, org))
      if (raterOrganizationIds.length === 0)
        throw forbidden("A member's ratings are seen by the member and the admins of the groups that rated them.")
    }
  }
  const rows = await keysetRows(publishedRatings(deps.db, { ...q, raterOrganizationIds }), publishedKeyset, q)
  const replies = await repliesOf(
    deps.db,
    rows.slice(0, q.limit).map((r) => r.id),
  )
  return pageOf(rows, q.limit, (r) => toPublicRatingDto(r, replies.get(r.id)), publishedKeyset.position)
}
