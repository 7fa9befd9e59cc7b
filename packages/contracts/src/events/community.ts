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
} as const

/** Payload of `activity.changed`: the activity as everyone sees it (counts only, no personal data). */
export const ActivityChangedPayload = z.object({ activity: Activity }).meta({ id: 'ActivityChangedPayload' })
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
