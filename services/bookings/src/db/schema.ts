import type {
  Availability,
  BookingActorRole,
  BookingHistoryAction,
  BookingRules,
  BookingStatus,
  CancellationPolicy,
  ListingKind,
  ListingStatus,
  Pricing,
  Quota,
  RatingAuditAction,
} from '@commons/contracts'
import type { KitTables } from '@commons/db'
import type { ColumnType, Generated, Selectable } from 'kysely'

type Json<T> = ColumnType<T, string, string>

/** Table types of the `bookings` schema (camelCase; the database uses snake_case). */
export interface DB extends KitTables {
  listingReplica: ListingReplicaTable
  bookings: BookingsTable
  bookingAudit: BookingAuditTable
  idempotencyKeys: IdempotencyKeysTable
  timers: TimersTable
  payments: PaymentsTable
  webhookEvents: WebhookEventsTable
  calendarFeeds: CalendarFeedsTable
  paymentSteps: PaymentStepsTable
  organizationParents: OrganizationParentsTable
  organizationQuotas: OrganizationQuotasTable
  organizationReplica: OrganizationReplicaTable
  listingPrivateReplica: ListingPrivateReplicaTable
}

/** Names (public) and contacts (private, for confirmed bookings only) of organizations, from the listings feed. */
export interface OrganizationReplicaTable {
  organizationId: string
  name: string | null
  version: Generated<number>
  contactPerson: string | null
  mobile: string | null
  wechatId: string | null
  contactsVersion: Generated<number>
}

/** Arrival notes and payment terms of listings (private, for confirmed bookings only). */
export interface ListingPrivateReplicaTable {
  listingId: string
  arrivalNotes: string
  paymentTerms: string
  version: number
}

export interface ListingReplicaTable {
  listingId: string
  organizationId: string
  organizationName: string
  kind: ListingKind
  status: ListingStatus
  version: number
  title: string
  capacity: number | null
  pricing: Json<Pricing>
  rules: Json<BookingRules>
  availability: Json<Availability>
  /** The listing's street address, shown on its confirmed bookings. */
  address: ColumnType<string | null, string | null | undefined, string | null>
  updatedAt: ColumnType<Date, Date | undefined, Date>
}
export type ListingReplicaRow = Selectable<ListingReplicaTable>

/** The price fixed when the booking was made. */
export interface PriceSnapshot {
  model: 'free' | 'fee'
  unit: 'hour' | 'booking' | null
  unitAmount: number
  quantity: number
  amount: number
  deposit: number
  currency: string
}

/** The cancellation terms fixed when the booking was made; steps are absent on bookings older than the snapshot. */
export interface CancellationTerms {
  policy: CancellationPolicy
  steps?: Array<[number, number]>
}

export type PaymentStatus = 'none' | 'due' | 'authorizing' | 'authorized' | 'paid' | 'released' | 'refunded' | 'failed'

export interface BookingsTable {
  id: string
  listingId: string
  listingKind: ListingKind
  /** The listing's title when the booking was made. */
  listingTitle: string
  providerOrganizationId: string
  requesterOrganizationId: string
  requesterUserId: string
  /** The booker's display name when the booking was made (from the access token). */
  requesterName: ColumnType<string | null, string | null | undefined, string | null>
  status: BookingStatus
  startAt: Date
  endAt: Date
  bufferMinutes: number
  busyUntil: Date
  attendees: number
  purpose: string
  price: Json<PriceSnapshot>
  cancellation: Json<CancellationTerms>
  paymentProvider: string
  paymentStatus: PaymentStatus
  refundedAmount: Generated<number>
  depositRetained: Generated<number>
  reason: string | null
  version: number
  createdAt: Date
  updatedAt: Date
}
export type BookingRow = Selectable<BookingsTable>

/** One audited step of a booking (see `GET /v1/bookings/:id/history`). */
export interface BookingAuditTable {
  id: Generated<number>
  bookingId: string
  actorUserId: string | null
  /** The role the step was taken in (a user may belong to both sides). */
  actorRole: BookingActorRole
  action: BookingHistoryAction
  fromStatus: BookingStatus | null
  toStatus: BookingStatus
  reason: string | null
  moderatorOverride: boolean
  at: Date
}

export interface IdempotencyKeysTable {
  userId: string
  key: string
  requestHash: string
  statusCode: number
  response: Json<unknown>
  createdAt: Generated<Date>
}

export type TimerKind = 'payment_hold' | 'request_expiry' | 'auto_complete' | 'deposit_release'

export interface TimersTable {
  id: Generated<number>
  bookingId: string
  kind: TimerKind
  runAt: Date
  doneAt: Date | null
  attempts: Generated<number>
  lastError: string | null
}

export interface PaymentsTable {
  id: string
  bookingId: string
  purpose: 'charge' | 'deposit'
  provider: string
  status: string
  amount: number
  currency: string
  refundedAmount: Generated<number>
  externalId: string | null
  method: string | null
  reference: string | null
  createdAt: Date
  updatedAt: Date
}

/** A money step decided in a transition, carried out with the provider after the commit (payment-steps.ts). */
export interface PaymentStepsTable {
  id: Generated<number>
  bookingId: string
  step: 'capture' | 'release' | 'refund' | 'release_deposit' | 'retain_deposit'
  amount: number | null
  fromStatus: PaymentStatus
  attempts: Generated<number>
  lastError: string | null
  createdAt: Date
  doneAt: Date | null
}

export interface WebhookEventsTable {
  eventId: string
  type: string
  receivedAt: Generated<Date>
}

export interface CalendarFeedsTable {
  organizationId: string
  generation: number
  updatedAt: Generated<Date>
  /** The admin who issued the link (null for links from before it was recorded). */
  issuedBy: string | null
  /** The organization's membership version the issuer's role was known at (token or replica). */
  issuedMembersVersion: Generated<number>
}

// --- Ratings, reputation and time credits (migration 2026-11-21T1300-ratings) ---

/** Ratings, reputation versions and the time-credit ledger, merged into the service's DB type. */
export interface RatingsTables {
  ratingWindows: RatingWindowsTable
  ratings: RatingsTable
  ratingReplies: RatingRepliesTable
  ratingReports: RatingReportsTable
  ratingAudit: RatingAuditTable
  reputationVersions: ReputationVersionsTable
  creditJournals: CreditJournalsTable
  creditEntries: CreditEntriesTable
}

export interface RatingWindowsTable {
  bookingId: string
  completedAt: Date
  closesAt: Date
  publishedAt: Date | null
  voidedAt: Date | null
}
export type RatingWindowRow = Selectable<RatingWindowsTable>

export interface RatingsTable {
  id: string
  bookingId: string
  side: 'requester' | 'provider'
  listingId: string
  listingKind: ListingKind
  raterOrganizationId: string
  raterUserId: string
  rateeOrganizationId: string
  rateeMemberId: string | null
  score: number
  dimensions: Json<Record<string, number>>
  comment: string | null
  createdAt: Date
  updatedAt: Date
  publishedAt: Date | null
  hiddenAt: Date | null
  hiddenReason: string | null
  hiddenBy: string | null
}
export type RatingRow = Selectable<RatingsTable>

export interface RatingRepliesTable {
  ratingId: string
  authorUserId: string
  body: string
  createdAt: Date
}

export interface RatingReportsTable {
  ratingId: string
  reporterUserId: string
  reason: string
  createdAt: Date
}

/** Moderation of ratings; `action` is held to the contract's values by a check (migration 2026-11-22T1300). */
export interface RatingAuditTable {
  id: Generated<number>
  ratingId: string
  actorUserId: string | null
  action: RatingAuditAction
  reason: string | null
  at: Date
}

export interface ReputationVersionsTable {
  subject: 'listing' | 'organization' | 'member'
  id: string
  version: number
}

export interface CreditJournalsTable {
  id: string
  /** A booking's journal, or (null) a community activity sign-up's: see `registrationId`. */
  bookingId: string | null
  activityId: ColumnType<string | null, string | null | undefined, string | null>
  registrationId: ColumnType<string | null, string | null | undefined, string | null>
  kind: 'earn' | 'reverse'
  createdAt: Date
}

export interface CreditEntriesTable {
  id: Generated<number>
  journalId: string
  accountKind: 'member' | 'organization'
  accountId: string
  organizationId: string
  minutes: number
  createdAt: Date
}

// Declaration merging adds the ratings tables to DB without touching the declaration above.
export interface DB extends RatingsTables {}

/** Replica of confirmed parent links (listings feed, `organization.parent_changed`). */
export interface OrganizationParentsTable {
  organizationId: string
  parentId: string | null
  version: number
}

/** Replica of parents' fair-share quotas (listings feed, `organization.quotas_changed`). */
export interface OrganizationQuotasTable {
  organizationId: string
  quotas: Json<Quota[]>
  version: number
}
