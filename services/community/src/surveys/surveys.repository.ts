import type { Insertable, Kysely, Transaction } from 'kysely'
import type { DB, SurveyNeedsTable, SurveyResponsesTable, SurveysTable, SurveyTextsTable } from '../db/schema.ts'

export function findSurvey(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('surveys')
    .leftJoin('organizations', 'organizations.id', 'surveys.organizationId')
    .selectAll('surveys')
    .select('organizations.name as organizationName')
    .where('surveys.id', '=', id)
    .executeTakeFirst()
}
export type SurveyWithOrg = NonNullable<Awaited<ReturnType<typeof findSurvey>>>

export function lockSurvey(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('surveys').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export function surveysOf(db: Kysely<DB>, organizationId: string) {
  return db
    .selectFrom('surveys')
    .leftJoin('organizations', 'organizations.id', 'surveys.organizationId')
    .selectAll('surveys')
    .select('organizations.name as organizationName')
    .where('surveys.organizationId', '=', organizationId)
    .orderBy('surveys.id', 'desc')
    .limit(200)
    .execute()
}

export function responsesOf(db: Kysely<DB>, surveyId: string) {
  return db
    .selectFrom('surveyResponses')
    .select(['answers', 'targetGroup', 'district', 'enteredBy'])
    .where('surveyId', '=', surveyId)
    .execute()
}

export function textsOf(db: Kysely<DB>, surveyId: string) {
  return db
    .selectFrom('surveyTexts')
    .select(['id', 'questionId', 'text', 'status'])
    .where('surveyId', '=', surveyId)
    .orderBy('createdAt')
    .execute()
}

/** Anonymous answers from one client to one survey since `since` (the rate limit). */
export async function recentFromClient(db: Kysely<DB>, surveyId: string, clientHash: string, since: Date) {
  const row = await db
    .selectFrom('surveyResponses')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('surveyId', '=', surveyId)
    .where('clientHash', '=', clientHash)
    .where('createdAt', '>=', since)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function insertSurvey(db: Kysely<DB>, values: Insertable<SurveysTable>): Promise<void> {
  await db.insertInto('surveys').values(values).execute()
}

export async function markPublished(
  trx: Transaction<DB>,
  id: string,
  set: { opensAt: Date; closesAt: Date; version: number },
): Promise<void> {
  await trx
    .updateTable('surveys')
    .set({ status: 'published', ...set })
    .where('id', '=', id)
    .execute()
}

/** Stores one answer sheet and its free-text answers (which wait for moderation). */
export async function insertResponse(
  trx: Transaction<DB>,
  response: Insertable<SurveyResponsesTable>,
  texts: Array<Insertable<SurveyTextsTable>>,
): Promise<void> {
  await trx.insertInto('surveyResponses').values(response).execute()
  if (texts.length > 0) await trx.insertInto('surveyTexts').values(texts).execute()
}

/** Sets a free-text answer's moderation; undefined when the survey has no such text. */
export const moderateTextRow = (
  db: Kysely<DB>,
  surveyId: string,
  textId: string,
  change: { status: 'approved' | 'rejected'; moderatedBy: string },
) =>
  db
    .updateTable('surveyTexts')
    .set(change)
    .where('id', '=', textId)
    .where('surveyId', '=', surveyId)
    .returning(['id', 'text', 'status'])
    .executeTakeFirst()

export async function insertSurveyNeed(trx: Transaction<DB>, values: Insertable<SurveyNeedsTable>): Promise<void> {
  await trx.insertInto('surveyNeeds').values(values).execute()
}

export const needsOfSurvey = (db: Kysely<DB>, surveyId: string) =>
  db
    .selectFrom('surveyNeeds')
    .select(['needId', 'surveyId', 'organizationId', 'questionId', 'optionId', 'evidence', 'createdAt'])
    .where('surveyId', '=', surveyId)
    .orderBy('createdAt')
    .execute()
