import { type Insertable, type Kysely, sql, type Transaction } from 'kysely'
import type { DB, NotificationsTable } from '../db/schema.ts'

type Reader = Pick<Transaction<DB>, 'selectFrom'>

/** The Postgres NOTIFY channel that wakes open streams; the payload is the recipient's user id. */
export const NOTIFICATIONS_CHANNEL = 'messaging_notifications'

/** Wakes the user's open streams (when the caller's transaction commits, if it is one). */
export async function signalStreams(db: Kysely<DB> | Transaction<DB>, userId: string) {
  await sql`select pg_notify(${NOTIFICATIONS_CHANNEL}, ${userId})`.execute(db)
}

export function preferenceRows(db: Reader, userIds: readonly string[]) {
  return db
    .selectFrom('preferences')
    .selectAll()
    .where('userId', 'in', [...userIds])
    .execute()
}

export function savePreferences(
  trx: Transaction<DB>,
  userId: string,
  row: { language: string; emailAddress: string | null; emailEnabled: boolean; types: string; updatedAt: Date },
) {
  return trx
    .insertInto('preferences')
    .values({ userId, ...row })
    .onConflict((oc) => oc.column('userId').doUpdateSet(row))
    .execute()
}

/** Inserts the notification unless the user has one with its dedupe key; undefined then. */
export function insertNotification(trx: Transaction<DB>, row: Insertable<NotificationsTable>) {
  return trx
    .insertInto('notifications')
    .values(row)
    .onConflict((oc) => oc.columns(['userId', 'dedupeKey']).doNothing())
    .returning('id')
    .executeTakeFirst()
}

/** Users who speak for an organization: its admins and owners. */
export async function adminsOf(db: Reader, organizationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('members')
    .select('userId')
    .where('organizationId', '=', organizationId)
    .where('role', 'in', ['owner', 'admin'])
    .execute()
  return rows.map((r) => r.userId)
}

export async function unreadCount(db: Kysely<DB>, userId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('userId', '=', userId)
    .where('readAt', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The user's notifications, newest first, after the keyset position `at`. */
export function pageNotifications(
  db: Kysely<DB>,
  userId: string,
  q: { unread?: boolean | undefined; at: [string, number] | undefined; limit: number },
) {
  let query = db.selectFrom('notifications').selectAll().where('userId', '=', userId)
  if (q.unread) query = query.where('readAt', 'is', null)
  if (q.at) query = query.where(sql<boolean>`(created_at, seq) < (${q.at[0]}::timestamptz, ${q.at[1]}::bigint)`)
  return query
    .orderBy('createdAt', 'desc')
    .orderBy('seq', 'desc')
    .limit(q.limit + 1)
    .execute()
}

/** Marks the user's unread notifications read: the ones named, or all. */
export async function markNotificationsRead(db: Kysely<DB>, userId: string, at: Date, ids?: string[]) {
  let update = db
    .updateTable('notifications')
    .set({ readAt: at })
    .where('userId', '=', userId)
    .where('readAt', 'is', null)
  if (ids) update = update.where('id', 'in', ids)
  await update.execute()
}

/** The user's newest unread notifications (what a stream has shown or will show). */
export function latestUnread(db: Kysely<DB>, userId: string, limit: number) {
  return db
    .selectFrom('notifications')
    .selectAll()
    .where('userId', '=', userId)
    .where('readAt', 'is', null)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute()
}

export function findNotification(db: Kysely<DB>, id: string) {
  return db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst()
}

export function findDelivery(db: Kysely<DB>, notificationId: string, channel: string) {
  return db
    .selectFrom('deliveries')
    .select('deliveredAt')
    .where('notificationId', '=', notificationId)
    .where('channel', '=', channel)
    .executeTakeFirst()
}

export async function recordDelivery(db: Kysely<DB>, notificationId: string, channel: string, deliveredAt: Date) {
  await db
    .insertInto('deliveries')
    .values({ notificationId, channel, deliveredAt })
    .onConflict((oc) => oc.doNothing())
    .execute()
}

/** Turns the user's email off, keeping their other preferences. */
export async function disableEmail(db: Kysely<DB>, userId: string, at: Date) {
  await db
    .insertInto('preferences')
    .values({ userId, emailEnabled: false, updatedAt: at })
    .onConflict((oc) => oc.column('userId').doUpdateSet({ emailEnabled: false, updatedAt: at }))
    .execute()
}
