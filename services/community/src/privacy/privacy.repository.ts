import type { FeedEvent } from '@commons/contracts'
import { AccountClosedPayload, CLOSED_ACCOUNT_NAME, LISTINGS_EVENTS } from '@commons/contracts'
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'

/**
 * Applies `account.closed`: sign-ups keep their place in counts and credits under 已注销用户; evaluations
 * stay (scorecards are unchanged) attributed by the pseudonymous id only; survey answers lose the link to
 * the person, so they count as anonymous answers.
 */
export async function applyPrivacyEvent(trx: Transaction<DB>, event: FeedEvent): Promise<void> {
  if (event.type !== LISTINGS_EVENTS.accountClosed) return
  const { userId } = AccountClosedPayload.parse(event.payload)
  await trx
    .updateTable('registrations')
    .set({ displayName: CLOSED_ACCOUNT_NAME })
    .where('userId', '=', userId)
    .execute()
  await trx
    .updateTable('surveyResponses')
    .set({ respondentUserId: null })
    .where('respondentUserId', '=', userId)
    .execute()
}

/** Community's part of a person's export: sign-ups and check-ins, evaluations given and received, survey answers. */
export async function personalData(db: Kysely<DB>, userId: string) {
  const [registrations, evaluationsGiven, evaluationsReceived, surveyResponses] = await Promise.all([
    db
      .selectFrom('registrations')
      .select(['id', 'activityId', 'displayName', 'role', 'status', 'checkedInAt', 'late', 'noShow', 'createdAt'])
      .where('userId', '=', userId)
      .orderBy('createdAt')
      .execute(),
    db
      .selectFrom('evaluations')
      .select(['id', 'activityId', 'direction', 'score', 'dimensions', 'comment', 'createdAt', 'publishedAt'])
      .where('authorUserId', '=', userId)
      .execute(),
    db
      .selectFrom('evaluations')
      .select(['id', 'activityId', 'direction', 'score', 'dimensions', 'comment', 'reply', 'publishedAt'])
      .where('subjectUserId', '=', userId)
      .where('publishedAt', 'is not', null)
      .execute(),
    db
      .selectFrom('surveyResponses')
      .select(['id', 'surveyId', 'answers', 'targetGroup', 'district', 'createdAt'])
      .where('respondentUserId', '=', userId)
      .execute(),
  ])
  return { registrations, evaluationsGiven, evaluationsReceived, surveyResponses }
}
