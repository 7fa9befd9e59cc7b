import type { Actor, HiddenRating, Rating, RatingAuditEntry, ReportedRating } from '@commons/contracts'
import { conflict, forbidden, notFound, pageOf } from '@commons/service-kit'
import { keysetRows } from '../db/keyset.ts'
import type { BookingsDeps } from '../deps.ts'
import { publishReputation, subjectsOf } from '../reputation/reputation.service.ts'
import { toRatingDto } from './rating-dto.ts'
import {
  auditKeyset,
  bookingsOfRatings,
  deleteReportsOf,
  hiddenKeyset,
  hiddenRatings,
  insertRatingAudit,
  lockRating,
  ratingAudit,
  ratingsByIds,
  repliesOf,
  reports,
  reportsKeyset,
  updateRatingRow,
} from './ratings.repository.ts'

/**
 * `GET /v1/ratings/reports` (moderators): reports, newest first, with cursor pagination; each with the
 * rating it is about and that rating's booking, so a moderator decides on what was written, not on an id.
 */
export async function listReports(
  deps: BookingsDeps,
  q: { cursor?: string | undefined; limit: number },
): Promise<{ items: ReportedRating[]; nextCursor: string | null }> {
  const rows = await keysetRows(reports(deps.db), reportsKeyset, q)
  const ids = [...new Set(rows.slice(0, q.limit).map((r) => r.ratingId))]
  const ratings = new Map((await ratingsByIds(deps.db, ids)).map((r) => [r.id, r]))
  const bookings = new Map(
    (await bookingsOfRatings(deps.db, [...new Set([...ratings.values()].map((r) => r.bookingId))])).map((b) => [
      b.id,
      b,
    ]),
  )
  const replies = await repliesOf(deps.db, ids)
  return pageOf(
    rows,
    q.limit,
    (r) => {
      // A report references its rating and a rating its booking by foreign key: both are there.
      const rating = ratings.get(r.ratingId)!
      const booking = bookings.get(rating.bookingId)!
      return {
        ...r,
        createdAt: r.createdAt.toISOString(),
        rating: toRatingDto(rating, replies.get(rating.id)),
        booking: {
          id: booking.id,
          listingTitle: booking.listingTitle,
          start: booking.startAt.toISOString(),
          end: booking.endAt.toISOString(),
        },
      }
    },
    reportsKeyset.position,
  )
}

/**
 * 403 `own_organization`: a moderator does not judge ratings by or about an organization they belong to
 * (roles are current state: see resolveActor), as listings' moderators do not review their own listings.
 */
function assertNotOwnOrganization(actor: Actor, rating: { raterOrganizationId: string; rateeOrganizationId: string }) {
  if (actor.roles[rating.raterOrganizationId] || actor.roles[rating.rateeOrganizationId]) {
    throw forbidden(
      'Moderators may not act on ratings of organizations they belong to; another moderator will.',
      'own_organization',
    )
  }
}

/**
 * `POST /v1/ratings/:id/reports/dismiss` (moderators): the reports against a rating were not founded; they
 * leave the queue and the decision, with its reason, joins the ratings' audit trail. 409 `no_open_reports`
 * when there is nothing to dismiss.
 */
export async function dismissReports(
  deps: BookingsDeps,
  actor: Actor,
  id: string,
  reason: string,
): Promise<{ ratingId: string; dismissed: number }> {
  return deps.db.transaction().execute(async (trx) => {
    const rating = await lockRating(trx, id)
    if (!rating) throw notFound('rating', id)
    assertNotOwnOrganization(actor, rating)
    const dismissed = await deleteReportsOf(trx, id)
    if (dismissed === 0) throw conflict('no_open_reports', 'This rating has no open reports to dismiss.')
    await insertRatingAudit(trx, {
      ratingId: id,
      actorUserId: actor.userId,
      action: 'dismiss',
      reason,
      at: deps.clock.now(),
    })
    return { ratingId: id, dismissed }
  })
}

/**
 * `POST /v1/ratings/:id/hide` (moderators): hides a rating with a recorded reason (audited). A hidden rating
 * leaves lists and reputation; its subjects get a new `reputation.updated`.
 */
export async function hideRating(deps: BookingsDeps, actor: Actor, id: string, reason: string): Promise<Rating> {
  return setHidden(deps, actor, id, 'hide', reason)
}

/** `POST /v1/ratings/:id/unhide` (moderators): shows a hidden rating again, with a recorded reason. */
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
    const rating = await lockRating(trx, id)
    if (!rating) throw notFound('rating', id)
    assertNotOwnOrganization(actor, rating)
    const hide = action === 'hide'
    if (hide && rating.hiddenAt) throw conflict('already_hidden', 'This rating is hidden already.')
    if (!hide && !rating.hiddenAt) throw conflict('not_hidden', 'This rating is not hidden.')
    const now = deps.clock.now()
    const saved = await updateRatingRow(
      trx,
      id,
      hide
        ? { hiddenAt: now, hiddenReason: reason, hiddenBy: actor.userId }
        : { hiddenAt: null, hiddenReason: null, hiddenBy: null },
    )
    await insertRatingAudit(trx, { ratingId: id, actorUserId: actor.userId, action, reason, at: now })
    if (saved.publishedAt) await publishReputation(trx, subjectsOf(saved))
    const replies = await repliesOf(trx, [id])
    return toRatingDto(saved, replies.get(id))
  })
}

/** `GET /v1/ratings/hidden` (moderators): hidden ratings with the hide's reason, moderator and time, newest hide first. */
export async function listHiddenRatings(
  deps: BookingsDeps,
  q: { cursor?: string | undefined; limit: number },
): Promise<{ items: HiddenRating[]; nextCursor: string | null }> {
  const rows = await keysetRows(hiddenRatings(deps.db), hiddenKeyset, q)
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
    hiddenKeyset.position,
  )
}

/** `GET /v1/ratings/audit` (moderators): every hide and unhide, newest first by when it happened. */
export async function listRatingAudit(
  deps: BookingsDeps,
  q: { cursor?: string | undefined; limit: number },
): Promise<{ items: RatingAuditEntry[]; nextCursor: string | null }> {
  const rows = await keysetRows(ratingAudit(deps.db), auditKeyset, q)
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
    auditKeyset.position,
  )
}
