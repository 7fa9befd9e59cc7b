import { z } from 'zod'
import { Id, Instant } from '../common.ts'
import { Activity } from '../community.ts'

/** Event types of the community feed. Each one's payload schema is in `EVENT_CATALOGUE` (events/catalogue.ts). */
export const COMMUNITY_EVENTS = {
  /** Full public snapshot on publish, every change while published, and cancellation; entityId = activity id. */
  activityChanged: 'activity.changed',
  /** A volunteer served (checked in, activity ended); entityId = the registration id, version 1. */
  volunteerServed: 'activity.volunteer-served',
  /** An organization's or volunteer's scorecard changed (badge, 整改中); entityId = the subject's id. */
  scorecardUpdated: 'scorecard.updated',
  /**
   * Something a participant should hear about their sign-up (confirmed, waitlisted, moved up, the activity
   * cancelled, a reminder, the evaluation window open); entityId = the registration id.
   */
  participantNotice: 'activity.participant-notice',
  /** An organization's 整改中 flag was raised or lifted; entityId = the organization id. */
  flagChanged: 'organization.flag-changed',
} as const

/** Payload of `activity.changed`: the activity as everyone sees it (counts only, no personal data). */
export const ActivityChangedPayload = z
  .object({
    activity: Activity,
    /** The host organization's city, for "this week in my city" (absent in events written before it existed). */
    city: z.string().nullable().optional(),
  })
  .meta({ id: 'ActivityChangedPayload' })
export type ActivityChangedPayload = z.infer<typeof ActivityChangedPayload>

/**
 * Payload of `activity.volunteer-served`: the hours a volunteer gave at an activity, which bookings credits
 * as time credits (the volunteer and the host organization earn, the activity's beneficiaries' account spends).
 */
export const VolunteerServedPayload = z
  .object({
    registrationId: Id,
    activityId: Id,
    organizationId: Id,
    userId: Id,
    minutes: z.number().int().min(1),
    servedAt: Instant,
  })
  .meta({ id: 'VolunteerServedPayload' })
export type VolunteerServedPayload = z.infer<typeof VolunteerServedPayload>

/** Payload of `scorecard.updated`: what search ranks and flags by. */
export const ScorecardUpdatedPayload = z
  .object({
    subject: z.enum(['organization', 'member']),
    id: Id,
    average: z.number(),
    count: z.number().int(),
    badge: z.boolean(),
    rectifying: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'ScorecardUpdatedPayload' })
export type ScorecardUpdatedPayload = z.infer<typeof ScorecardUpdatedPayload>

/** What a participant notice is about. */
export const ParticipantNoticeKind = z
  .enum(['confirmed', 'waitlisted', 'promoted', 'activity_cancelled', 'reminder', 'evaluation_open'])
  .meta({ id: 'ParticipantNoticeKind' })
export type ParticipantNoticeKind = z.infer<typeof ParticipantNoticeKind>

/**
 * Payload of `activity.participant-notice`: one person, one thing to tell them. The event's version tells
 * notices of one sign-up apart (a consumer dedupes by registration, kind and version).
 */
export const ParticipantNoticePayload = z
  .object({
    kind: ParticipantNoticeKind,
    registrationId: Id,
    userId: Id,
    role: z.enum(['attendee', 'volunteer']),
    activity: z.object({ id: Id, title: z.string(), start: Instant, organizationName: z.string() }),
  })
  .meta({ id: 'ParticipantNoticePayload' })
export type ParticipantNoticePayload = z.infer<typeof ParticipantNoticePayload>

/** Payload of `organization.flag-changed`: the 整改中 flag's new state and the figures behind it (audited). */
export const FlagChangedPayload = z
  .object({
    organizationId: Id,
    organizationName: z.string(),
    rectifying: z.boolean(),
    average90d: z.number().nullable(),
    count90d: z.number().int(),
    at: Instant,
  })
  .meta({ id: 'FlagChangedPayload' })
export type FlagChangedPayload = z.infer<typeof FlagChangedPayload>
