import { z } from 'zod'
import { BookingStatus } from './booking-status.ts'
import { Id, Instant, text } from './common.ts'
import { BookingContacts, BookingParties } from './contacts.ts'
import { CancellationPolicy, ListingKind } from './listings.ts'

/** A bookable slot: a half-open range [start, end) of one slot size. */
export const Slot = z.object({ start: Instant, end: Instant }).meta({ id: 'Slot' })

export const AvailabilityParams = z.object({ listingId: Id })

/** Query of `GET /v1/availability/:listingId`: a window of at most 92 days. */
export const AvailabilityQuery = z
  .object({
    from: Instant,
    to: Instant,
    include: z
      .enum(['taken'])
      .optional()
      .describe('`taken`: also list the open slots other bookings hold, for a picker that greys them out'),
  })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { message: 'to must be after from', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 92 * 86_400_000, {
    message: 'the window spans at most 92 days',
    path: ['to'],
  })

/** Bookable slots of a listing in a window, and the listing's time zone for display. */
export const AvailabilityResponse = z
  .object({
    listingId: Id,
    timezone: z.string(),
    slots: z.array(Slot),
    taken: z
      .array(Slot)
      .optional()
      .describe('With `include=taken`: slots within the opening hours and booking horizon that bookings hold'),
  })
  .meta({ id: 'AvailabilityResponse' })
export type AvailabilityResponse = z.infer<typeof AvailabilityResponse>

/** Body of `POST /v1/bookings`; send an `Idempotency-Key` header with it. */
export const CreateBookingBody = z
  .strictObject({
    listingId: Id,
    organizationId: Id.describe('The requesting organization; the caller must be a member'),
    start: Instant,
    end: Instant,
    attendees: z.number().int().min(1).max(100_000),
    purpose: text({ min: 1, max: 500, multiline: true }),
  })
  .refine((b) => Date.parse(b.start) < Date.parse(b.end), { message: 'end must be after start', path: ['end'] })
  .meta({ id: 'CreateBookingBody' })
export type CreateBookingBody = z.infer<typeof CreateBookingBody>

/** The price fixed when the booking was made (integer minor units). */
export const PriceSnapshot = z
  .object({
    model: z.enum(['free', 'fee']),
    unit: z.enum(['hour', 'booking']).nullable(),
    unitAmount: z.number().int(),
    quantity: z.number().describe('Hours for hourly prices, 1 per booking'),
    amount: z.number().int().describe('What the booking costs, without the deposit'),
    deposit: z.number().int().describe('Refundable deposit, authorised separately'),
    currency: z.string(),
  })
  .meta({ id: 'PriceSnapshot' })

export const PaymentStatus = z
  .enum(['none', 'due', 'authorizing', 'authorized', 'paid', 'released', 'refunded', 'failed'])
  .meta({ id: 'PaymentStatus' })

/** A booking as the API returns it. */
export const Booking = z
  .object({
    id: Id,
    listingId: Id,
    listingKind: ListingKind,
    listingTitle: z.string().describe('The listing title when the booking was made; a later rename does not change it'),
    providerOrganizationId: Id,
    requesterOrganizationId: Id,
    requesterUserId: Id,
    status: BookingStatus,
    start: Instant,
    end: Instant,
    bufferMinutes: z.number().int(),
    attendees: z.number().int(),
    purpose: z.string(),
    price: PriceSnapshot,
    paymentProvider: z.enum(['offline', 'stripe']),
    paymentStatus: PaymentStatus,
    refundedAmount: z.number().int().describe('Minor units of the price refunded on cancellation'),
    depositRetained: z.number().int().describe('Minor units of the deposit kept for reported damage'),
    reason: z.string().nullable(),
    version: z.number().int(),
    createdAt: Instant,
    updatedAt: Instant,
    parties: BookingParties.optional().describe('Names of the two sides (on the booking routes)'),
    contacts: BookingContacts.nullable()
      .optional()
      .describe(
        "Each side's contacts, the address, arrival notes and payment terms: for the parties of a confirmed (or later completed / no-show) booking, null before and to anyone else",
      ),
  })
  .meta({ id: 'Booking' })
export type Booking = z.infer<typeof Booking>

/** Transitions a participant (or a moderator) can ask for. */
export const BookingAction = z
  .enum(['accept', 'decline', 'cancel', 'complete', 'no-show'])
  .meta({ id: 'BookingAction' })
export type BookingAction = z.infer<typeof BookingAction>

/** Body of a transition; the reason is kept in the audit trail. */
export const TransitionBody = z
  .strictObject({ reason: text({ max: 500, multiline: true }).optional() })
  .meta({ id: 'TransitionBody' })

/** Body of `POST /v1/bookings/:id/payment` (offline provider: the provider records the payment received). */
export const RecordPaymentBody = z
  .strictObject({
    method: z.enum(['cash', 'bank_transfer', 'wechat_pay', 'alipay', 'other']),
    reference: text({ min: 1, max: 200 }),
  })
  .meta({ id: 'RecordPaymentBody' })

/** Body of `POST /v1/bookings/:id/damage`: the provider keeps (part of) the deposit, within 48 h of the end. */
export const ReportDamageBody = z
  .strictObject({
    amount: z.number().int().min(1).describe('Minor units of the deposit to keep'),
    reason: text({ min: 1, max: 500, multiline: true }),
  })
  .meta({ id: 'ReportDamageBody' })

/** Query of `GET /v1/bookings`. */
export const ListBookingsQuery = z.object({
  as: z.enum(['requester', 'provider']),
  organizationId: Id,
  status: BookingStatus.optional(),
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
})

export const BookingPage = z
  .object({ items: z.array(Booking), nextCursor: z.string().nullable() })
  .meta({ id: 'BookingPage' })

/** Who moved a booking, as a role: participants and moderators by what they acted as, `system` for timers and payments. */
export const BookingActorRole = z
  .enum(['requester', 'provider', 'moderator', 'system'])
  .meta({ id: 'BookingActorRole' })
export type BookingActorRole = z.infer<typeof BookingActorRole>

/**
 * What a history entry records: the creation, a participant's action, a payment or timer event of the system,
 * or a money step that leaves the status alone (offline payment recorded, damage reported, deposit released).
 */
export const BookingHistoryAction = z
  .enum([
    'create',
    ...BookingAction.options,
    'paid',
    'payment_expire',
    'request_expire',
    'auto_complete',
    'record_payment',
    'report_damage',
    'release_deposit',
  ])
  .meta({ id: 'BookingHistoryAction' })
export type BookingHistoryAction = z.infer<typeof BookingHistoryAction>

/** One step of a booking's history; the actor is named by role only, never by user id. */
export const BookingHistoryEntry = z
  .object({
    action: BookingHistoryAction,
    fromStatus: BookingStatus.nullable().describe('Null for the creation'),
    toStatus: BookingStatus,
    at: Instant,
    reason: z.string().nullable(),
    by: BookingActorRole,
  })
  .meta({ id: 'BookingHistoryEntry' })
export type BookingHistoryEntry = z.infer<typeof BookingHistoryEntry>

/** `GET /v1/bookings/:id/history`: every step of a booking, oldest first, starting with its creation. */
export const BookingHistory = z.object({ items: z.array(BookingHistoryEntry) }).meta({ id: 'BookingHistory' })
export type BookingHistory = z.infer<typeof BookingHistory>

/** `GET /v1/bookings/:id/refund-preview`: what cancelling now would give back, by the rule the cancellation applies. */
export const RefundPreview = z
  .object({
    policy: CancellationPolicy,
    share: z.number().min(0).max(1).describe('Share of the charge refunded; 0 when the booking cannot be cancelled'),
    amount: z
      .number()
      .int()
      .describe(
        'Minor units of the charge refunded if cancelled now; 0 while nothing was paid or when not cancellable',
      ),
    currency: z.string(),
    depositReleased: z.number().int().describe('Minor units of the deposit released by cancelling now'),
    cancellable: z.boolean().describe('False when the booking is past cancelling (declined, completed...)'),
  })
  .meta({ id: 'RefundPreview' })
export type RefundPreview = z.infer<typeof RefundPreview>
