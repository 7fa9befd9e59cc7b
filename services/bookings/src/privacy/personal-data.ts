import { AccountClosedPayload, CLOSED_ACCOUNT_NAME, type FeedEvent, LISTINGS_EVENTS } from '@commons/contracts'
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'

/**
 * Applies `account.closed`. Bookings, payments and the time-credit journal are records the law requires
 * and the public ledger sums, so they stay, de-identified: the booker's name becomes 已注销用户 and only the
 * user id (a pseudonym once listings erased the account) remains. Ratings keep their score and comment,
 * so reputation and the ledger do not move. Stored idempotent answers (which may repeat the name) go.
 */
export async function applyPrivacyEvent(trx: Transaction<DB>, event: FeedEvent): Promise<void> {
  if (event.type !== LISTINGS_EVENTS.accountClosed) return
  const { userId } = AccountClosedPayload.parse(event.payload)
  await trx
    .updateTable('bookings')
    .set({ requesterName: CLOSED_ACCOUNT_NAME })
    .where('requesterUserId', '=', userId)
    .execute()
  await trx.deleteFrom('idempotencyKeys').where('userId', '=', userId).execute()
}

/** Bookings' part of a person's export: bookings they made, ratings they gave and received, time credits. */
export async function personalData(db: Kysely<DB>, userId: string) {
  const [bookings, ratingsGiven, ratingsReceived, timeCredits] = await Promise.all([
    db
      .selectFrom('bookings')
      .select([
        'id',
        'listingId',
        'listingTitle',
        'requesterOrganizationId',
        'requesterName',
        'status',
        'startAt',
        'endAt',
        'attendees',
        'purpose',
        'price',
        'paymentStatus',
        'createdAt',
      ])
      .where('requesterUserId', '=', userId)
      .orderBy('createdAt')
      .execute(),
    db
      .selectFrom('ratings')
      .select([
        'id',
        'bookingId',
        'side',
        'listingId',
        'rateeOrganizationId',
        'score',
        'dimensions',
        'comment',
        'createdAt',
        'publishedAt',
      ])
      .where('raterUserId', '=', userId)
      .execute(),
    db
      .selectFrom('ratings')
      .select(['id', 'bookingId', 'side', 'raterOrganizationId', 'score', 'dimensions', 'comment', 'publishedAt'])
      .where('rateeMemberId', '=', userId)
      .where('publishedAt', 'is not', null)
      .execute(),
    db
      .selectFrom('creditEntries')
      .select(['journalId', 'organizationId', 'minutes', 'createdAt'])
      .where('accountKind', '=', 'member')
      .where('accountId', '=', userId)
      .execute(),
  ])
  return { bookings, ratingsGiven, ratingsReceived, timeCredits }
}
