import type { z } from 'zod'
import {
  BOOKINGS_EVENTS,
  BookingChangedPayload,
  RatingsPublishedPayload,
  ReputationUpdatedPayload,
} from './bookings.ts'
import {
  ActivityChangedPayload,
  COMMUNITY_EVENTS,
  FlagChangedPayload,
  ParticipantNoticePayload,
  ScorecardUpdatedPayload,
  VolunteerServedPayload,
} from './community.ts'
import {
  AccountAccessPayload,
  AccountClosedPayload,
  LISTINGS_EVENTS,
  ListingPrivateDetailsPayload,
  ListingPublishedPayload,
  ListingRejectedPayload,
  ListingWithdrawnPayload,
  NeedClosedPayload,
  NeedOpenedPayload,
  OrganizationContactsPayload,
  OrganizationInvitationPayload,
  OrganizationMembersPayload,
  OrganizationParentChangedPayload,
  OrganizationQuotasChangedPayload,
  OrganizationUpdatedPayload,
  UserConsentsChangedPayload,
} from './listings.ts'
import { ConversationUpdatedPayload, MESSAGING_EVENTS } from './messaging.ts'
import { SURVEY_EVENTS, SurveyNeedRequestedPayload } from './surveys.ts'

/** Event types mapped to their payload schemas: the shape of an event catalogue. */
export type EventSchemas = Record<string, z.ZodType>

/**
 * Every event type of every feed with its payload schema, in one place: producers are type-checked against
 * it (`appendEvent` in @commons/db) and consumers parse with the same schemas, so a field exists once.
 */
export const EVENT_CATALOGUE = {
  [LISTINGS_EVENTS.listingPublished]: ListingPublishedPayload,
  [LISTINGS_EVENTS.listingWithdrawn]: ListingWithdrawnPayload,
  [LISTINGS_EVENTS.organizationUpdated]: OrganizationUpdatedPayload,
  [LISTINGS_EVENTS.needOpened]: NeedOpenedPayload,
  [LISTINGS_EVENTS.needClosed]: NeedClosedPayload,
  [LISTINGS_EVENTS.organizationContacts]: OrganizationContactsPayload,
  [LISTINGS_EVENTS.listingPrivateDetails]: ListingPrivateDetailsPayload,
  [BOOKINGS_EVENTS.bookingChanged]: BookingChangedPayload,
  [BOOKINGS_EVENTS.reputationUpdated]: ReputationUpdatedPayload,
  [LISTINGS_EVENTS.organizationMembers]: OrganizationMembersPayload,
  [LISTINGS_EVENTS.accountAccess]: AccountAccessPayload,
  [MESSAGING_EVENTS.conversationUpdated]: ConversationUpdatedPayload,
  [LISTINGS_EVENTS.organizationParentChanged]: OrganizationParentChangedPayload,
  [LISTINGS_EVENTS.organizationQuotasChanged]: OrganizationQuotasChangedPayload,
  [SURVEY_EVENTS.needRequested]: SurveyNeedRequestedPayload,
  // community
  [COMMUNITY_EVENTS.activityChanged]: ActivityChangedPayload,
  [COMMUNITY_EVENTS.volunteerServed]: VolunteerServedPayload,
  [COMMUNITY_EVENTS.scorecardUpdated]: ScorecardUpdatedPayload,
  // personal information
  [LISTINGS_EVENTS.userConsentsChanged]: UserConsentsChangedPayload,
  [LISTINGS_EVENTS.accountClosed]: AccountClosedPayload,

  [COMMUNITY_EVENTS.participantNotice]: ParticipantNoticePayload,
  [COMMUNITY_EVENTS.flagChanged]: FlagChangedPayload,

  // messaging's notifications
  [LISTINGS_EVENTS.listingRejected]: ListingRejectedPayload,
  [BOOKINGS_EVENTS.ratingsPublished]: RatingsPublishedPayload,

  // invitations
  [LISTINGS_EVENTS.organizationInvitation]: OrganizationInvitationPayload,
} as const satisfies EventSchemas
export type EventCatalogue = typeof EVENT_CATALOGUE

/** A type of the Commons event catalogue. */
export type EventType = keyof EventCatalogue

/**
 * What a producer may write as the payload of each catalogue type: the schema's input type, which is what a
 * consumer's `parse` accepts once the payload has travelled as JSON.
 */
export type EventPayloads = { [T in EventType]: z.input<EventCatalogue[T]> }

/**
 * An event as a producer appends it: for each type of the map `M` (event type to payload), that type with
 * its own payload. Defaults to the Commons catalogue; the feed machinery's own tests bring a map of theirs.
 */
export type OutboxEvent<M extends Record<string, unknown> = EventPayloads> = {
  [T in keyof M & string]: { type: T; entityId: string; version: number; payload: M[T] }
}[keyof M & string]

/** The payload a consumer holds after parsing an event of type `T`. */
export type EventPayload<T extends EventType> = z.output<EventCatalogue[T]>

/** Whether `type` is in the catalogue (feeds may carry types a consumer does not know yet). */
export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_CATALOGUE, type)
}
