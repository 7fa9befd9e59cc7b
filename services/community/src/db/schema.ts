import type { AnswerValue, ListingKind, NeedFields, Question } from '@commons/contracts'
import type { KitTables } from '@commons/db'
import type { ColumnType, Generated, Selectable } from 'kysely'

/** Table types of the `community` schema (camelCase; the database uses snake_case). */
export interface DB extends KitTables {
  organizations: OrganizationsTable
  venues: VenuesTable
  bookings: BookingsTable
  activities: ActivitiesTable
  registrations: RegistrationsTable
  evaluations: EvaluationsTable
  evaluationReports: EvaluationReportsTable
  evaluationAudit: EvaluationAuditTable
  organizationFlags: OrganizationFlagsTable
  flagAudit: FlagAuditTable
  scorecardVersions: ScorecardVersionsTable

  surveys: SurveysTable
  surveyResponses: SurveyResponsesTable
  surveyTexts: SurveyTextsTable
  surveyNeeds: SurveyNeedsTable
  organizationParents: OrganizationParentsTable
  overviewListings: OverviewListingsTable
  overviewNeeds: OverviewNeedsTable
}

type Updated = ColumnType<Date, Date | undefined, Date>

/** Organizations' public facts, replicated from the listings feed. */
export interface OrganizationsTable {
  id: string
  version: number
  name: string
  kind: string
  district: string | null
  city: string | null
  verified: ColumnType<boolean, boolean | undefined, boolean>
  updatedAt: Updated
}
export type OrganizationRow = Selectable<OrganizationsTable>

/** Venue listings, replicated from the listings feed (an activity may take place in its host's venue). */
export interface VenuesTable {
  id: string
  version: number
  organizationId: string
  title: string
  district: string
  address: string | null
  lat: number | null
  lng: number | null
  published: boolean
  updatedAt: Updated
}
export type VenueRow = Selectable<VenuesTable>

/** Bookings, replicated from the bookings feed (an activity may take place in one its host booked). */
export interface BookingsTable {
  id: string
  version: number
  listingId: string
  requesterOrganizationId: string
  providerOrganizationId: string
  status: string
  startAt: Date
  endAt: Date
  updatedAt: Updated
}
export type BookingRow = Selectable<BookingsTable>

/** Activities (migration 2026-11-30T1300-activities). */
export interface ActivitiesTable {
  id: string
  organizationId: string
  title: string
  description: string
  category: string
  targetGroups: string[]
  startAt: Date
  endAt: Date
  placeKind: 'booking' | 'venue' | 'address'
  placeRef: string | null
  placeListingId: string | null
  placeTitle: string | null
  placeDistrict: string
  placeAddress: string | null
  capacity: number
  volunteerPlaces: number
  volunteerSkills: string[]
  signUpDeadline: Date
  status: ColumnType<'draft' | 'published' | 'cancelled', 'draft' | undefined, 'draft' | 'published' | 'cancelled'>
  cancelReason: string | null
  endedAt: Date | null
  evaluationsPublishedAt: Date | null
  version: ColumnType<number, number | undefined, number>
  createdBy: string
  createdAt: Date
  updatedAt: Date
}
export type ActivityRow = Selectable<ActivitiesTable>

/** Sign-ups (migration 2026-11-30T1300-activities). */
export interface RegistrationsTable {
  id: string
  seq: ColumnType<string, never, never>
  activityId: string
  userId: string
  displayName: string
  role: 'attendee' | 'volunteer'
  partyMember: boolean
  status: 'confirmed' | 'waitlisted' | 'cancelled'
  code: string
  idempotencyKey: string | null
  checkedInAt: Date | null
  late: ColumnType<boolean, boolean | undefined, boolean>
  noShow: ColumnType<boolean, boolean | undefined, boolean>
  createdAt: Date
  updatedAt: Date
}
export type RegistrationRow = Selectable<RegistrationsTable>

/** Three-way evaluations (migration 2026-11-30T1400-evaluations). */
export interface EvaluationsTable {
  id: string
  activityId: string
  organizationId: string
  direction: 'attendee_to_host' | 'attendee_to_volunteer' | 'host_to_volunteer' | 'volunteer_to_host'
  authorUserId: string
  /** The author, or the host organization for host_to_volunteer (it speaks once per volunteer). */
  authorKey: string
  subjectUserId: string | null
  score: number
  dimensions: ColumnType<Record<string, number>, string, string>
  comment: string | null
  reply: string | null
  repliedAt: Date | null
  publishedAt: Date | null
  hiddenAt: Date | null
  hiddenReason: string | null
  createdAt: Date
}
export type EvaluationRow = Selectable<EvaluationsTable>

export interface EvaluationReportsTable {
  id: string
  evaluationId: string
  reporterUserId: string
  reason: string
  createdAt: Date
  /** Set when a moderator dismissed the report or hid the evaluation. */
  resolvedAt: ColumnType<Date | null, Date | null | undefined, Date | null>
}

export interface EvaluationAuditTable {
  id: Generated<number>
  evaluationId: string
  action: string
  actorUserId: string
  reason: string
  at: Date
}

export interface OrganizationFlagsTable {
  organizationId: string
  rectifying: boolean
  since: Date | null
  average90d: number | null
  count90d: number
  updatedAt: Date
}

export interface FlagAuditTable {
  id: Generated<number>
  organizationId: string
  rectifying: boolean
  average90d: number | null
  count90d: number
  at: Date
}

export interface ScorecardVersionsTable {
  subject: string
  id: string
  version: number
  /** The marks last announced in `scorecard.updated`. */
  badge: Generated<boolean>
  rectifying: Generated<boolean>
}

type Json<T> = ColumnType<T, string, string>

/** Needs surveys (questionnaires) of organizations. */
export interface SurveysTable {
  id: string
  organizationId: string
  title: string
  description: string
  allowAnonymous: boolean
  questions: Json<Question[]>
  status: Generated<'draft' | 'published'>
  opensAt: Date | null
  closesAt: Date | null
  createdBy: string
  version: Generated<number>
  createdAt: Date
}
export type SurveyRow = Selectable<SurveysTable>

export interface SurveyResponsesTable {
  id: string
  surveyId: string
  respondentUserId: string | null
  deviceHash: string | null
  enteredBy: string | null
  challengeHash: string | null
  clientHash: string | null
  answers: Json<Record<string, AnswerValue>>
  targetGroup: string | null
  district: string | null
  createdAt: Date
}
export type SurveyResponseRow = Selectable<SurveyResponsesTable>

/** Free-text answers, moderated before anyone outside the survey's organization sees them. */
export interface SurveyTextsTable {
  id: string
  surveyId: string
  responseId: string
  questionId: string
  text: string
  status: Generated<'pending' | 'approved' | 'rejected'>
  moderatedBy: string | null
  createdAt: Date
}

/** Needs raised from survey results (the need itself lives on the listings needs board). */
export interface SurveyNeedsTable {
  needId: string
  surveyId: string
  organizationId: string
  questionId: string
  optionId: string
  evidence: string
  fields: Json<NeedFields>
  createdBy: string
  createdAt: Date
}

/** Confirmed parent links (listings feed); parent_id is null once a link ended. */
export interface OrganizationParentsTable {
  organizationId: string
  parentId: string | null
  version: number
}

/** Every listing's kind and district, for overviews (listings feed). */
export interface OverviewListingsTable {
  id: string
  version: number
  organizationId: string
  kind: ListingKind
  district: string
  published: boolean
}

/** Needs on the board, for overviews (listings feed). */
export interface OverviewNeedsTable {
  id: string
  version: number
  organizationId: string
  kind: ListingKind
  district: string
  open: boolean
  openedAt: Date
  closedAt: Date | null
}
