import { z } from 'zod'
import { BookingStatus } from '../booking-status.ts'
import { Id, Instant } from '../common.ts'
import { ListingKind } from '../listings.ts'
import { Reputation } from '../ratings.ts'

/** Event types of the bookings feed. Each one's payload schema is in `EVENT_CATALOGUE` (events/catalogue.ts). */
export const BOOKINGS_EVENTS = {
  /** entityId = the booking's id, version = the booking's version. */
  bookingChanged: 'booking.changed',
  /** entityId = the rated subject's id; version grows per subject. */
  reputationUpdated: 'reputation.updated',
  /** Both ratings of a booking became public (both sides rated, or the window closed); entityId = booking id. */
  ratingsPublished: 'ratings.published',
} as const

/**
 * Payload of `booking.changed`, sent on creation and every transition: enough for discovery to keep busy
 * ranges (availability filter), popularity and members' interest profiles without calling bookings.
 */
export const BookingChangedPayload = z
  .object({
    booking: z.object({
      id: Id,
      listingId: Id,
      listingKind: ListingKind,
      providerOrganizationId: Id,
      requesterOrganizationId: Id,
      requesterUserId: Id,
      status: BookingStatus,
      holdsSlot: z.boolean(),
      start: Instant,
      end: Instant,
      /** The listing's buffer at booking time: the busy range is [start - buffer, end + buffer). */
      bufferMinutes: z.number().int().min(0),
      attendees: z.number().int().min(1),
      version: z.number().int().min(1),
    }),
  })
  .meta({ id: 'BookingChangedPayload' })
export type BookingChangedPayload = z.infer<typeof BookingChangedPayload>

/**
 * Payload of `reputation.updated` (bookings feed; entityId = the subject's id, version grows per subject).
 * For organizations `average`/`count` are as provider (what search ranks by); `asRequester` adds the other role.
 */
export const ReputationUpdatedPayload = z
  .object({
    subject: z.enum(['listing', 'organization', 'member']),
    id: Id,
    average: z.number(),
    count: z.number().int(),
    mean: z.number().nullable(),
    distribution: Reputation.shape.distribution,
    asRequester: z.object({ average: z.number(), count: z.number().int() }).optional(),
  })
  .meta({ id: 'ReputationUpdatedPayload' })
export type ReputationUpdatedPayload = z.infer<typeof ReputationUpdatedPayload>

/**
 * Payload of `ratings.published` (version 1: a booking's ratings are published once): the booking's sides,
 * so messaging can tell both to read them. No score or comment: those are public on the ratings API.
 */
export const RatingsPublishedPayload = z
  .object({ bookingId: Id, listingId: Id, providerOrganizationId: Id, requesterOrganizationId: Id })
  .meta({ id: 'RatingsPublishedPayload' })
export type RatingsPublishedPayload = z.infer<typeof RatingsPublishedPayload>
