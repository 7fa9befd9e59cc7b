import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'

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
