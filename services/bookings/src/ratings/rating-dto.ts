import type { PublicRating, Rating } from '@commons/contracts'
import type { RatingRow } from '../db/schema.ts'

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

/** The public shape of a rating: no booking id, no member (see `PublicRating`). */
export function toPublicRatingDto(row: RatingRow, reply?: { body: string; createdAt: Date } | null): PublicRating {
  const { bookingId: _booking, rateeMemberId: _member, ...rest } = toRatingDto(row, reply)
  return rest
}
