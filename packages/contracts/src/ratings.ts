import { z } from 'zod'
import { Id, Instant } from './common.ts'
import { ListingKind } from './listings.ts'

/** Which side of a booking wrote a rating: the requesting group rates the provider, and the reverse. */
export const RatingSide = z.enum(['requester', 'provider']).meta({ id: 'RatingSide' })
export type RatingSide = z.infer<typeof RatingSide>

/**
 * Dimensions a rating may score (1-5) besides the overall score: the requester rates the listing by its
 * kind; the provider rates the requesting group the same way whatever the kind.
 */
export const RATING_DIMENSIONS: Readonly<Record<ListingKind | 'requester', readonly string[]>> = Object.freeze({
  venue: ['accuracy', 'cleanliness', 'communication'],
  expertise: ['expertise', 'preparation', 'communication'],
  volunteer_time: ['reliability', 'skill', 'communication'],
  requester: ['punctuality', 'care', 'communication'],
})

const Score = z.number().int().min(1).max(5)

/** Body of `POST /v1/bookings/:id/ratings`. */
export const CreateRatingBody = z
  .strictObject({
    score: Score,
    comment: z.string().trim().min(1).max(2000).optional(),
    dimensions: z
      .record(z.string().max(40), Score)
      .optional()
      .describe('Per-kind dimensions (see RATING_DIMENSIONS), each scored 1-5'),
  })
  .meta({ id: 'CreateRatingBody' })
export type CreateRatingBody = z.infer<typeof CreateRatingBody>

/** Body of `PATCH /v1/ratings/:id`: the rater changes a rating while it is still hidden (not published). */
export const UpdateRatingBody = z
  .strictObject({
    score: Score.optional(),
    comment: z.string().trim().min(1).max(2000).nullable().optional(),
    dimensions: z.record(z.string().max(40), Score).optional(),
  })
  .meta({ id: 'UpdateRatingBody' })
export type UpdateRatingBody = z.infer<typeof UpdateRatingBody>

/** Body of a public reply by the rated side (one per rating). */
export const RatingReplyBody = z
  .strictObject({ body: z.string().trim().min(1).max(2000) })
  .meta({ id: 'RatingReplyBody' })

/** Body of an abuse report (anyone signed in) or a moderator's hide or unhide (the reason is recorded and audited). */
export const RatingReasonBody = z
  .strictObject({ reason: z.string().trim().min(1).max(500) })
  .meta({ id: 'RatingReasonBody' })

/** A rating as the API returns it. Unpublished ratings are shown only to their rater. */
export const Rating = z
  .object({
    id: Id,
    bookingId: Id,
    side: RatingSide.describe('Who rated: `requester` rates the listing and provider; `provider` rates the group'),
    listingId: Id,
    listingKind: ListingKind,
    raterOrganizationId: Id,
    rateeOrganizationId: Id,
    rateeMemberId: Id.nullable().describe('The booking member, for ratings by the provider'),
    score: Score,
    dimensions: z.record(z.string(), Score),
    comment: z.string().nullable(),
    createdAt: Instant,
    publishedAt: Instant.nullable().describe('Null while hidden (double-blind); immutable once set'),
    hidden: z.boolean().describe('Hidden by a moderator; left out of lists and reputation'),
    reply: z.object({ body: z.string(), createdAt: Instant }).nullable(),
  })
  .meta({ id: 'Rating' })
export type Rating = z.infer<typeof Rating>

/** `GET /v1/bookings/:id/ratings`: the caller's own rating, and the other side's once published. */
export const BookingRatings = z
  .object({
    bookingId: Id,
    window: z
      .object({
        state: z.enum(['not_open', 'open', 'published', 'void']),
        closesAt: Instant.nullable(),
        publishedAt: Instant.nullable(),
      })
      .describe('Ratings open when the booking completes and close 14 days later'),
    otherSideRated: z.boolean().describe('Whether the other side has rated (its rating stays hidden until published)'),
    ratings: z.array(Rating),
  })
  .meta({ id: 'BookingRatings' })
export type BookingRatings = z.infer<typeof BookingRatings>

/** Query of `GET /v1/ratings`: exactly one of listingId, organizationId or memberId. */
export const ListRatingsQuery = z
  .object({
    listingId: Id.optional(),
    organizationId: Id.optional(),
    memberId: Id.optional(),
    role: z.enum(['provider', 'requester']).optional().describe('With organizationId: ratings it got in this role'),
    cursor: z.string().max(512).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .refine((q) => [q.listingId, q.organizationId, q.memberId].filter(Boolean).length === 1, {
    message: 'give exactly one of listingId, organizationId, memberId',
    path: ['listingId'],
  })

export const RatingPage = z
  .object({ items: z.array(Rating), nextCursor: z.string().nullable() })
  .meta({ id: 'RatingPage' })

/** A rating a moderator hid, as moderators see it: the rating, why, by whom and when. */
export const HiddenRating = z
  .object({
    rating: Rating,
    reason: z.string(),
    hiddenBy: Id.nullable().describe('The moderator who hid it; null only for a hide made outside the API'),
    hiddenAt: Instant,
  })
  .meta({ id: 'HiddenRating' })
export type HiddenRating = z.infer<typeof HiddenRating>

export const HiddenRatingPage = z
  .object({ items: z.array(HiddenRating), nextCursor: z.string().nullable() })
  .meta({ id: 'HiddenRatingPage' })

/**
 * What a moderator did to a rating, as `rating_audit.action` stores it: the hide and unhide endpoints are its
 * only writers, and a check constraint keeps the column to these values so this enum stays the whole truth.
 */
export const RatingAuditAction = z.enum(['hide', 'unhide']).meta({ id: 'RatingAuditAction' })
export type RatingAuditAction = z.infer<typeof RatingAuditAction>

/** One step of the moderation audit trail of ratings, as moderators read it. */
export const RatingAuditEntry = z
  .object({
    // The row's bigint identity, as a string so clients never depend on it fitting a JSON number.
    id: z.string().describe('The audit entry; opaque, unique across the trail'),
    ratingId: Id,
    action: RatingAuditAction,
    actorUserId: Id.nullable().describe('The moderator; null only for a step made outside the API'),
    reason: z.string().nullable().describe('The reason the moderator gave; the API always records one'),
    at: Instant,
  })
  .meta({ id: 'RatingAuditEntry' })
export type RatingAuditEntry = z.infer<typeof RatingAuditEntry>

export const RatingAuditPage = z
  .object({ items: z.array(RatingAuditEntry), nextCursor: z.string().nullable() })
  .meta({ id: 'RatingAuditPage' })

/** A report against a rating, as moderators see it. */
export const RatingReport = z
  .object({ ratingId: Id, reporterUserId: Id, reason: z.string(), createdAt: Instant })
  .meta({ id: 'RatingReport' })

/** Reputation of one subject in one role: Bayesian average, raw mean, count and the score distribution. */
export const Reputation = z
  .object({
    average: z.number().describe('Bayesian average: (prior mean × prior weight + sum) / (prior weight + count)'),
    mean: z.number().nullable().describe('Plain mean of the published, visible scores; null without any'),
    count: z.number().int(),
    distribution: z.object({
      1: z.number().int(),
      2: z.number().int(),
      3: z.number().int(),
      4: z.number().int(),
      5: z.number().int(),
    }),
  })
  .meta({ id: 'Reputation' })
export type Reputation = z.infer<typeof Reputation>

export const ReputationPrior = z.object({ mean: z.number(), weight: z.number() }).meta({ id: 'ReputationPrior' })

export const ListingReputation = z
  .object({ listingId: Id, prior: ReputationPrior, reputation: Reputation })
  .meta({ id: 'ListingReputation' })

export const MemberReputation = z
  .object({ memberId: Id, prior: ReputationPrior, reputation: Reputation })
  .meta({ id: 'MemberReputation' })

export const OrganizationReputation = z
  .object({
    organizationId: Id,
    prior: ReputationPrior,
    asProvider: Reputation,
    asRequester: Reputation,
    noShows90Days: z.number().int().describe('No-shows as requester whose booking started in the last 90 days'),
    instantBookAllowed: z.boolean().describe('False with two or more no-shows in 90 days: bookings go to request mode'),
  })
  .meta({ id: 'OrganizationReputation' })
/** `?from=YYYY-MM&to=YYYY-MM&format=json|csv` of the usage ledger (months in Asia/Shanghai). */
export const LedgerQuery = z.object({
  from: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
    .optional(),
  to: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
    .optional(),
  format: z.enum(['json', 'csv']).optional().describe('csv: UTF-8 with BOM; `Accept: text/csv` does the same'),
})

/** One month of the open usage ledger: aggregates only, never personal data. */
export const LedgerMonth = z
  .object({
    month: z.string().describe('YYYY-MM in Asia/Shanghai'),
    completedBookings: z.number().int(),
    hoursShared: z.number(),
    groupsServed: z.number().int().describe('Distinct requesting organizations'),
    attendees: z.number().int(),
    volunteerHours: z.number(),
    averageRating: z.number().nullable().describe('Mean of published, visible ratings given by requesters'),
    ratings: z.number().int(),
  })
  .meta({ id: 'LedgerMonth' })
export type LedgerMonth = z.infer<typeof LedgerMonth>

export const Ledger = z
  .object({
    scope: z.object({ kind: z.enum(['all', 'organization', 'listing']), id: Id.nullable() }),
    timezone: z.string(),
    months: z.array(LedgerMonth),
  })
  .meta({ id: 'Ledger' })
export type Ledger = z.infer<typeof Ledger>

/** One posting of the time-credit ledger as its owner sees it. */
export const TimeCreditEntry = z
  .object({
    /** The volunteer booking that moved the credits, or null for a community activity (`activityId`). */
    bookingId: Id.nullable(),
    /** The community activity the volunteer served at, or null for a booking. */
    activityId: Id.nullable(),
    kind: z.enum(['earn', 'reverse']),
    hours: z.number().describe('Positive: time given; negative: time received (or a reversal)'),
    organizationId: Id,
    at: Instant,
  })
  .meta({ id: 'TimeCreditEntry' })

export const MemberTimeCredits = z
  .object({
    memberId: Id,
    balanceHours: z.number(),
    givenHours: z.number(),
    receivedHours: z.number(),
    entries: z.array(TimeCreditEntry),
  })
  .meta({ id: 'MemberTimeCredits' })

export const OrganizationTimeCredits = z
  .object({
    organizationId: Id,
    balanceHours: z.number(),
    givenHours: z.number(),
    receivedHours: z.number(),
    bookings: z.number().int().describe('Volunteer bookings that moved credits'),
  })
  .meta({ id: 'OrganizationTimeCredits' })
