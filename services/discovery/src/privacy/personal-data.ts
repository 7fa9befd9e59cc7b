import type { FeedEvent } from '@commons/contracts'
import { AccountClosedPayload, LISTINGS_EVENTS, UserConsentsChangedPayload } from '@commons/contracts'
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'

/**
 * Applies the listings feed's personal-information events: a withdrawn consent to personalised
 * recommendations stops recording views and deletes those recorded; a closed account loses its views and
 * settings. Bookings stay in the replica under the user id, the pseudonym, without a name.
 */
export async function applyPrivacyEvent(trx: Transaction<DB>, event: FeedEvent): Promise<void> {
  if (event.type === LISTINGS_EVENTS.userConsentsChanged) {
    const { userId, consents } = UserConsentsChangedPayload.parse(event.payload)
    const personalised = consents.personalisedRecommendations
    await trx
      .insertInto('memberSettings')
      .values({ userId, personalised, historyClearedAt: null })
      .onConflict((oc) => oc.column('userId').doUpdateSet({ personalised }))
      .execute()
    if (!personalised) await trx.deleteFrom('views').where('userId', '=', userId).execute()
  } else if (event.type === LISTINGS_EVENTS.accountClosed) {
    const { userId } = AccountClosedPayload.parse(event.payload)
    await trx.deleteFrom('views').where('userId', '=', userId).execute()
    await trx.deleteFrom('memberSettings').where('userId', '=', userId).execute()
  }
}

/** Discovery's part of a person's export: views, the personalisation setting, bookings it learned of. */
export async function personalData(db: Kysely<DB>, userId: string) {
  const [views, settings, bookings] = await Promise.all([
    db.selectFrom('views').select(['listingId', 'viewedAt']).where('userId', '=', userId).orderBy('viewedAt').execute(),
    db.selectFrom('memberSettings').selectAll().where('userId', '=', userId).executeTakeFirst(),
    db
      .selectFrom('bookings')
      .select(['id', 'listingId', 'createdAt'])
      .where('requesterUserId', '=', userId)
      .orderBy('createdAt')
      .execute(),
  ])
  return { views, settings: settings ?? null, bookings }
}
