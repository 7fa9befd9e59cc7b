import type { AnswerValue, NeedFields, Question } from '@commons/contracts'
import type { KitTables } from '@commons/db'
import type { ColumnType, Generated, Selectable } from 'kysely'

/** Table types of the `community` schema (camelCase; the database uses snake_case). */
export interface DB extends KitTables {
  organizations: OrganizationsTable
  venues: VenuesTable
  bookings: BookingsTable
  surveys: SurveysTable
  surveyResponses: SurveyResponsesTable
  surveyTexts: SurveyTextsTable
  surveyNeeds: SurveyNeedsTable
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
