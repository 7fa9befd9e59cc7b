import type { FeedEvent } from '@commons/contracts'
import {
  AccountClosedPayload,
  CLOSED_ACCOUNT_NAME,
  LISTINGS_EVENTS,
  UserConsentsChangedPayload,
} from '@commons/contracts'
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'

/**
 * Applies the listings feed's personal-information events. Withdrawing the email consent switches the email
 * channel off (granting it switches it back on; an address is still needed). A closed account loses its
 * notifications, preferences (the email address) and read marks; its messages stay in the other party's
 * conversation, signed 已注销用户.
 */
export async function applyPrivacyEvent(trx: Transaction<DB>, event: FeedEvent, now: Date): Promise<void> {
  if (event.type === LISTINGS_EVENTS.userConsentsChanged) {
    const { userId, consents } = UserConsentsChangedPayload.parse(event.payload)
    const emailEnabled = consents.emailNotifications
    await trx
      .insertInto('preferences')
      .values({ userId, emailEnabled, updatedAt: now })
      .onConflict((oc) => oc.column('userId').doUpdateSet({ emailEnabled, updatedAt: now }))
      .execute()
  } else if (event.type === LISTINGS_EVENTS.accountClosed) {
    const { userId } = AccountClosedPayload.parse(event.payload)
    await trx.updateTable('messages').set({ authorName: CLOSED_ACCOUNT_NAME }).where('authorId', '=', userId).execute()
    await trx.updateTable('members').set({ displayName: CLOSED_ACCOUNT_NAME }).where('userId', '=', userId).execute()
    const notifications = trx.selectFrom('notifications').select('id').where('userId', '=', userId)
    await trx.deleteFrom('deliveries').where('notificationId', 'in', notifications).execute()
    await trx.deleteFrom('notifications').where('userId', '=', userId).execute()
    await trx.deleteFrom('preferences').where('userId', '=', userId).execute()
    await trx.deleteFrom('conversationReads').where('userId', '=', userId).execute()
  }
}

/** Messaging's part of a person's export: messages they wrote, notifications, preferences. */
export async function personalData(db: Kysely<DB>, userId: string) {
  const [messages, notifications, preferences] = await Promise.all([
    db
      .selectFrom('messages')
      .select(['id', 'conversationId', 'authorName', 'text', 'createdAt'])
      .where('authorId', '=', userId)
      .orderBy('createdAt')
      .execute(),
    db
      .selectFrom('notifications')
      .select(['id', 'type', 'params', 'link', 'createdAt', 'readAt'])
      .where('userId', '=', userId)
      .orderBy('seq')
      .execute(),
    db.selectFrom('preferences').selectAll().where('userId', '=', userId).executeTakeFirst(),
  ])
  return { messages, notifications, preferences: preferences ?? null }
}
