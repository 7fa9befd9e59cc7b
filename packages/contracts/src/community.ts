import { z } from 'zod'
import { Id, Instant } from './common.ts'

/** What kind of activity it is (活动类别). */
export const ActivityCategory = z
  .enum(['lecture', 'outing', 'companionship', 'training', 'culture', 'sports', 'service', 'other'])
  .meta({ id: 'ActivityCategory' })
export type ActivityCategory = z.infer<typeof ActivityCategory>

/** Whom an activity is for: 老年人, 青少年, 留守儿童, 农民工, 白领, 党员, 居民. */
export const TargetGroup = z
  .enum(['elderly', 'youth', 'left_behind_children', 'migrant_workers', 'white_collar', 'party_members', 'residents'])
  .meta({ id: 'TargetGroup' })
export type TargetGroup = z.infer<typeof TargetGroup>

/**
 * An activity's lifecycle: draft -> published -> cancelled, draft -> cancelled. Whether it has been held is
 * a matter of time (its end passed), not a state. The database refuses any other move.
 */
export const ActivityStatus = z.enum(['draft', 'published', 'cancelled']).meta({ id: 'ActivityStatus' })
export type ActivityStatus = z.infer<typeof ActivityStatus>

/** Where an activity takes place, as the host gives it: one of its confirmed bookings, own venue, or an address. */
export const ActivityPlaceInput = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('booking'), bookingId: Id }),
    z.strictObject({ kind: z.literal('venue'), venueId: Id }),
    z.strictObject({
      kind: z.literal('address'),
      district: z.string().trim().min(1).max(40),
      address: z.string().trim().min(1).max(200),
    }),
  ])
  .meta({ id: 'ActivityPlaceChoice' })
export type ActivityPlaceInput = z.infer<typeof ActivityPlaceInput>

/** Where an activity takes place, resolved for display. */
export const ActivityPlace = z
  .object({
    kind: z.enum(['booking', 'venue', 'address']),
    /** The booked or own venue's listing, when the place is one. */
    listingId: Id.nullable(),
    title: z.string().nullable(),
    district: z.string(),
    address: z.string().nullable(),
  })
  .meta({ id: 'ActivityPlace' })
export type ActivityPlace = z.infer<typeof ActivityPlace>

const activityFields = {
  title: z.string().trim().min(2).max(80),
  description: z.string().trim().max(4000).default(''),
  category: ActivityCategory,
  targetGroups: z.array(TargetGroup).min(1).max(7),
  start: Instant,
  end: Instant,
  place: ActivityPlaceInput,
  capacity: z.number().int().min(1).max(10_000).describe('Places for attendees'),
  volunteerPlaces: z.number().int().min(0).max(1000).default(0),
  volunteerSkills: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
  signUpDeadline: Instant.describe('Sign-ups close then; at the latest at the start'),
}

/** Body of `POST /v1/activities`: a draft activity of an organization the caller administers. */
export const CreateActivityBody = z
  .strictObject({ organizationId: Id, ...activityFields })
  .refine((a) => Date.parse(a.start) < Date.parse(a.end), { message: 'end must be after start', path: ['end'] })
  .refine((a) => Date.parse(a.signUpDeadline) <= Date.parse(a.start), {
    message: 'sign-ups must close by the start',
    path: ['signUpDeadline'],
  })
  .meta({ id: 'CreateActivityBody' })
export type CreateActivityBody = z.infer<typeof CreateActivityBody>

/** Body of `PATCH /v1/activities/:id` (If-Match): the fields to change. */
export const UpdateActivityBody = z
  .strictObject({
    title: activityFields.title,
    description: z.string().trim().max(4000),
    category: ActivityCategory,
    targetGroups: activityFields.targetGroups,
    start: Instant,
    end: Instant,
    place: ActivityPlaceInput,
    capacity: activityFields.capacity,
    volunteerPlaces: z.number().int().min(0).max(1000),
    volunteerSkills: z.array(z.string().trim().min(1).max(40)).max(20),
    signUpDeadline: Instant,
  })
  .partial()
  .meta({ id: 'UpdateActivityBody' })
export type UpdateActivityBody = z.infer<typeof UpdateActivityBody>

/** Body of `POST /v1/activities/:id/cancel`. */
export const CancelActivityBody = z
  .strictObject({ reason: z.string().trim().min(1).max(500) })
  .meta({ id: 'CancelActivityBody' })

/** An activity as everyone sees it (no personal data: counts only). */
export const Activity = z
  .object({
    id: Id,
    organizationId: Id,
    organizationName: z.string(),
    title: z.string(),
    description: z.string(),
    category: ActivityCategory,
    targetGroups: z.array(TargetGroup),
    start: Instant,
    end: Instant,
    place: ActivityPlace,
    capacity: z.number().int(),
    volunteerPlaces: z.number().int(),
    volunteerSkills: z.array(z.string()),
    signUpDeadline: Instant,
    status: ActivityStatus,
    cancelReason: z.string().nullable(),
    attendees: z.number().int().describe('Confirmed attendee sign-ups'),
    volunteers: z.number().int().describe('Confirmed volunteer sign-ups'),
    waitlisted: z.number().int(),
    version: z.number().int(),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .meta({ id: 'Activity' })
export type Activity = z.infer<typeof Activity>

/** Query of `GET /v1/activities`: published activities by default, soonest first. */
export const ListActivitiesQuery = z.object({
  organizationId: Id.optional(),
  from: Instant.optional().describe('Activities ending after this instant (default: now)'),
  to: Instant.optional().describe('Activities starting before this instant'),
  district: z.string().max(40).optional(),
  targetGroup: TargetGroup.optional(),
  hasVolunteerPlaces: z.stringbool().optional(),
  /** `drafts`: with `organizationId`, also that organization's drafts (its members and moderators). */
  include: z.enum(['published', 'drafts']).default('published'),
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
})
export type ListActivitiesQuery = z.infer<typeof ListActivitiesQuery>

export const ActivityPage = z
  .object({ items: z.array(Activity), nextCursor: z.string().nullable() })
  .meta({ id: 'ActivityPage' })
export type ActivityPage = z.infer<typeof ActivityPage>

/** A sign-up's role: attendee (群众) or volunteer (志愿者 / 党员). */
export const RegistrationRole = z.enum(['attendee', 'volunteer']).meta({ id: 'RegistrationRole' })
export type RegistrationRole = z.infer<typeof RegistrationRole>

/** confirmed (has a place), waitlisted (in order), cancelled. */
export const RegistrationStatus = z.enum(['confirmed', 'waitlisted', 'cancelled']).meta({ id: 'RegistrationStatus' })
export type RegistrationStatus = z.infer<typeof RegistrationStatus>

/** Body of `POST /v1/activities/:id/registrations`. */
export const CreateRegistrationBody = z
  .strictObject({
    role: RegistrationRole,
    /** A volunteer who is a party member may say so (shown to the host; counted as 党员 in evaluations). */
    partyMember: z.boolean().default(false),
    displayName: z.string().trim().min(1).max(40).describe('How the host sees the person on the list'),
  })
  .meta({ id: 'CreateRegistrationBody' })
export type CreateRegistrationBody = z.infer<typeof CreateRegistrationBody>

/** A sign-up as its person and the host see it. */
export const Registration = z
  .object({
    id: Id,
    activityId: Id,
    userId: Id,
    displayName: z.string(),
    role: RegistrationRole,
    partyMember: z.boolean(),
    status: RegistrationStatus,
    /** 1-based place in the waitlist of its role while waitlisted. */
    waitlistPosition: z.number().int().nullable(),
    /** The 6-digit check-in code (only to the person and the host). */
    code: z.string().regex(/^\d{6}$/),
    checkedInAt: Instant.nullable(),
    late: z.boolean(),
    noShow: z.boolean(),
    createdAt: Instant,
  })
  .meta({ id: 'Registration' })
export type Registration = z.infer<typeof Registration>

/** A volunteer who served at an activity, as the attendees who were there may rate them. */
export const ServedVolunteer = z
  .object({ userId: Id, displayName: z.string(), partyMember: z.boolean() })
  .meta({ id: 'ServedVolunteer' })

/**
 * The caller's own sign-up with its QR code (an SVG of the check-in code). `volunteersServed` lists, for an
 * attendee who was checked in at an activity that has ended, the volunteers checked in beside them (whom
 * they may rate); it is empty for everyone else.
 */
export const MyRegistration = Registration.extend({
  qrSvg: z.string(),
  volunteersServed: z.array(ServedVolunteer),
}).meta({ id: 'MyRegistration' })
export type MyRegistration = z.infer<typeof MyRegistration>

export const RegistrationList = z.object({ items: z.array(Registration) }).meta({ id: 'RegistrationList' })

/** The caller's live sign-ups with their activities (我的活动), latest activity first. */
export const MyActivityList = z
  .object({ items: z.array(z.object({ activity: Activity, registration: Registration })) })
  .meta({ id: 'MyActivityList' })
export type MyActivityList = z.infer<typeof MyActivityList>

/** Body of `POST /v1/activities/:id/check-ins`: the 6-digit code (typed or scanned) or a sign-up off the list. */
export const CheckInBody = z
  .union([z.strictObject({ code: z.string().regex(/^\d{6}$/) }), z.strictObject({ registrationId: Id })])
  .meta({ id: 'CheckInBody' })
export type CheckInBody = z.infer<typeof CheckInBody>

/**
 * The three directions of 三向互评: the people served rate the activity/host and volunteers; the host rates
 * its volunteers; volunteers rate the host.
 */
export const EvaluationDirection = z
  .enum(['attendee_to_host', 'attendee_to_volunteer', 'host_to_volunteer', 'volunteer_to_host'])
  .meta({ id: 'EvaluationDirection' })
export type EvaluationDirection = z.infer<typeof EvaluationDirection>

/** The dimensions each direction scores (1-5 each, optional beside the overall score). */
export const EVALUATION_DIMENSIONS: Readonly<Record<EvaluationDirection, readonly string[]>> = Object.freeze({
  attendee_to_host: ['content', 'organisation', 'venue'],
  attendee_to_volunteer: ['attitude', 'helpfulness'],
  host_to_volunteer: ['punctuality', 'commitment', 'skill'],
  volunteer_to_host: ['organisation', 'support', 'safety'],
})

/** Body of `POST /v1/evaluations`. `subjectUserId` names the volunteer for the volunteer directions. */
export const CreateEvaluationBody = z
  .strictObject({
    activityId: Id,
    direction: EvaluationDirection,
    subjectUserId: Id.optional(),
    score: z.number().int().min(1).max(5),
    dimensions: z.record(z.string().max(20), z.number().int().min(1).max(5)).default({}),
    comment: z.string().trim().max(1000).optional(),
  })
  .meta({ id: 'CreateEvaluationBody' })
export type CreateEvaluationBody = z.infer<typeof CreateEvaluationBody>

/** An evaluation; hidden until published (the window closed or every party spoke), then immutable. */
export const Evaluation = z
  .object({
    id: Id,
    activityId: Id,
    direction: EvaluationDirection,
    organizationId: Id,
    /** The volunteer rated (volunteer directions); never the attendee's identity. */
    subjectUserId: Id.nullable(),
    score: z.number().int(),
    dimensions: z.record(z.string(), z.number().int()),
    comment: z.string().nullable(),
    reply: z.string().nullable(),
    published: z.boolean(),
    hidden: z.boolean(),
    createdAt: Instant,
    publishedAt: Instant.nullable(),
  })
  .meta({ id: 'Evaluation' })
export type Evaluation = z.infer<typeof Evaluation>

export const EvaluationPage = z
  .object({ items: z.array(Evaluation), nextCursor: z.string().nullable() })
  .meta({ id: 'EvaluationPage' })

export const ListEvaluationsQuery = z.object({
  activityId: Id.optional(),
  organizationId: Id.optional(),
  subjectUserId: Id.optional(),
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
})

export const EvaluationReplyBody = z
  .strictObject({ reply: z.string().trim().min(1).max(1000) })
  .meta({ id: 'EvaluationReplyBody' })
export const EvaluationReportBody = z
  .strictObject({ reason: z.string().trim().min(1).max(500) })
  .meta({ id: 'EvaluationReportBody' })
export const EvaluationHideBody = z
  .strictObject({ reason: z.string().trim().min(1).max(500) })
  .meta({ id: 'EvaluationHideBody' })
export const EvaluationReportDismissBody = z
  .strictObject({ reason: z.string().trim().min(1).max(500) })
  .meta({ id: 'EvaluationReportDismissBody' })

/** An open report of an evaluation, as moderators review it: the reason, the evaluation, its activity. */
export const ReportedEvaluation = z
  .object({
    id: Id,
    reason: z.string(),
    createdAt: Instant,
    evaluation: Evaluation,
    activityTitle: z.string(),
    organizationName: z.string(),
  })
  .meta({ id: 'ReportedEvaluation' })
export const ReportedEvaluationList = z
  .object({ items: z.array(ReportedEvaluation) })
  .meta({ id: 'ReportedEvaluationList' })
export type ReportedEvaluationList = z.infer<typeof ReportedEvaluationList>

/** One direction's figures on a scorecard. */
export const ScoreLine = z
  .object({
    direction: EvaluationDirection,
    /** Bayesian average (prior: the platform mean of the direction, weight 5). */
    average: z.number(),
    mean: z.number().nullable(),
    count: z.number().int(),
  })
  .meta({ id: 'ScoreLine' })

/** A public scorecard of an organization or a volunteer (评价公开). */
export const Scorecard = z
  .object({
    subject: z.enum(['organization', 'member']),
    id: Id,
    lines: z.array(ScoreLine),
    /** Top decile of its kind with enough evaluations: shown with a badge and lifted in search. */
    badge: z.boolean(),
    /** 整改中: the 90-day average from the people served fell under 3.0 over at least 10 evaluations. */
    rectifying: z.boolean(),
    recentComments: z.array(
      z.object({ direction: EvaluationDirection, score: z.number().int(), comment: z.string(), at: Instant }),
    ),
  })
  .meta({ id: 'Scorecard' })
export type Scorecard = z.infer<typeof Scorecard>

/** The moderators' watchlist: organizations under 整改中. */
export const WatchlistEntry = z
  .object({ organizationId: Id, since: Instant, average90d: z.number(), count90d: z.number().int() })
  .meta({ id: 'WatchlistEntry' })
export const Watchlist = z.object({ items: z.array(WatchlistEntry) }).meta({ id: 'Watchlist' })

/** Per month, the activities an organization held (the open ledger's activity rows): aggregates only. */
export const ActivityLedgerRow = z
  .object({
    organizationId: Id,
    month: z.string().regex(/^\d{4}-\d{2}$/),
    activitiesHeld: z.number().int(),
    peopleServed: z.number().int(),
    volunteerHours: z.number(),
    averageFromServed: z.number().nullable(),
  })
  .meta({ id: 'ActivityLedgerRow' })
export const ActivityLedger = z.object({ items: z.array(ActivityLedgerRow) }).meta({ id: 'ActivityLedger' })
export const ActivityLedgerQuery = z.object({
  organizationId: Id.optional(),
  format: z.enum(['json', 'csv']).default('json'),
})
