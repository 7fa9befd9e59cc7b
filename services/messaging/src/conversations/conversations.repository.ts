import type { Actor } from '@commons/contracts'
import { type Kysely, sql, type Transaction } from 'kysely'
import type { ConversationRow, DB, MessageRow } from '../db/schema.ts'
import { isParty } from './parties.ts'

type Reader = Kysely<DB> | Transaction<DB>

export function findBooking(db: Reader, id: string) {
  return db.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirst()
}

export function findNeed(db: Reader, id: string) {
  return db.selectFrom('needs').selectAll().where('id', '=', id).executeTakeFirst()
}

export function organizationExists(db: Reader, id: string) {
  return db.selectFrom('organizations').select('id').where('id', '=', id).executeTakeFirst()
}

/** Inserts the conversation unless its subject and provider have one; undefined then. */
export function insertConversation(trx: Transaction<DB>, row: ConversationRow) {
  return trx
    .insertInto('conversations')
    .values(row)
    .onConflict((oc) => oc.columns(['subjectType', 'subjectId', 'providerOrganizationId']).doNothing())
    .returningAll()
    .executeTakeFirst()
}

export function findConversationOf(
  db: Reader,
  subject: { type: 'booking' | 'need'; id: string },
  providerOrganizationId: string,
) {
  return db
    .selectFrom('conversations')
    .selectAll()
    .where('subjectType', '=', subject.type)
    .where('subjectId', '=', subject.id)
    .where('providerOrganizationId', '=', providerOrganizationId)
    .executeTakeFirstOrThrow()
}

export function findConversation(db: Reader, id: string) {
  return db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Locks the conversation: its messages are numbered in order, and a retried send waits for the first. */
export async function lockConversation(trx: Transaction<DB>, id: string) {
  await trx.selectFrom('conversations').select('id').where('id', '=', id).forUpdate().execute()
}

export async function recordModerationRead(db: Reader, conversationId: string, moderatorId: string, readAt: Date) {
  await db.insertInto('moderationReads').values({ conversationId, moderatorId, readAt }).execute()
}

/** The caller's conversations, newest activity first, after the keyset position `at`. */
export function pageConversations(db: Reader, actor: Actor, at: [string, string] | undefined, limit: number) {
  const activity = sql<Date>`coalesce(conversations.last_message_at, conversations.created_at)`
  let query = db
    .selectFrom('conversations')
    .selectAll()
    .select(activity.as('activityAt'))
    .where((eb) => isParty(eb, actor))
  if (at) query = query.where(sql<boolean>`(${activity}, conversations.id) < (${at[0]}::timestamptz, ${at[1]}::uuid)`)
  return query
    .orderBy(activity, 'desc')
    .orderBy('conversations.id', 'desc')
    .limit(limit + 1)
    .execute()
}

export function reportedConversations(db: Reader, limit: number) {
  return db
    .selectFrom('conversations')
    .selectAll()
    .where('reportedAt', 'is not', null)
    .orderBy('reportedAt', 'desc')
    .limit(limit)
    .execute()
}

export function saveReport(trx: Transaction<DB>, id: string, report: { at: Date; by: string; reason: string }) {
  return trx
    .updateTable('conversations')
    .set({ reportedAt: report.at, reportedBy: report.by, reportReason: report.reason })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** The user has read the conversation up to `readAt`. */
export async function saveReadPosition(db: Reader, conversationId: string, userId: string, readAt: Date) {
  await db
    .insertInto('conversationReads')
    .values({ conversationId, userId, readAt })
    .onConflict((oc) => oc.columns(['conversationId', 'userId']).doUpdateSet({ readAt }))
    .execute()
}

/**
 * Marks read the user's "new message" notifications of the conversation's messages up to `upTo`;
 * answers how many it marked.
 */
export async function readMessageNotificationRows(trx: Transaction<DB>, userId: string, id: string, upTo: Date) {
  const read = await trx
    .updateTable('notifications')
    .set({ readAt: upTo })
    .where('userId', '=', userId)
    .where('type', '=', 'message_received')
    .where('readAt', 'is', null)
    .where('dedupeKey', 'in', (eb) =>
      eb
        .selectFrom('messages')
        .select(sql<string>`'message:' || messages.id`.as('key'))
        .where('messages.conversationId', '=', id)
        .where('messages.createdAt', '<=', upTo),
    )
    .executeTakeFirst()
  return read.numUpdatedRows
}

/** What a conversation card shows besides its row: names, titles, unread counts and last messages. */
export async function conversationCardFacts(db: Reader, rows: ConversationRow[], userId: string) {
  const ids = rows.map((r) => r.id)
  const orgIds = [...new Set(rows.flatMap((r) => [r.requesterOrganizationId, r.providerOrganizationId]))]
  const [orgs, titles, unread, last] = await Promise.all([
    db.selectFrom('organizations').select(['id', 'name']).where('id', 'in', orgIds).execute(),
    db
      .selectFrom('conversations')
      .leftJoin('bookings', 'bookings.id', 'conversations.subjectId')
      .leftJoin('listings', 'listings.id', 'bookings.listingId')
      .leftJoin('needs', 'needs.id', 'conversations.subjectId')
      .select(['conversations.id', sql<string | null>`coalesce(listings.title, needs.title)`.as('title')])
      .where('conversations.id', 'in', ids)
      .execute(),
    db
      .selectFrom('messages')
      .leftJoin('conversationReads', (join) =>
        join
          .onRef('conversationReads.conversationId', '=', 'messages.conversationId')
          .on('conversationReads.userId', '=', userId),
      )
      .select(['messages.conversationId', (eb) => eb.fn.countAll<number>().as('n')])
      .where('messages.conversationId', 'in', ids)
      .where('messages.authorId', '!=', userId)
      .where(sql<boolean>`messages.created_at > coalesce(conversation_reads.read_at, '-infinity'::timestamptz)`)
      .groupBy('messages.conversationId')
      .execute(),
    db
      .selectFrom('messages')
      .distinctOn('conversationId')
      .select(['conversationId', 'text'])
      .where('conversationId', 'in', ids)
      .orderBy('conversationId')
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
      .execute(),
  ])
  return {
    orgName: new Map(orgs.map((o) => [o.id, o.name])),
    title: new Map(titles.map((t) => [t.id, t.title ?? ''])),
    unreadOf: new Map(unread.map((u) => [u.conversationId, Number(u.n)])),
    lastOf: new Map(last.map((m) => [m.conversationId, m.text])),
  }
}

/** A conversation's messages, newest first, after the keyset position `at`. */
export function pageMessages(db: Reader, id: string, at: [string, string] | undefined, limit: number) {
  let query = db.selectFrom('messages').selectAll().where('conversationId', '=', id)
  if (at) query = query.where(sql<boolean>`(created_at, id) < (${at[0]}::timestamptz, ${at[1]}::uuid)`)
  return query
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute()
}

/** The message the author sent earlier with this Idempotency-Key in the conversation. */
export function findMessageByKey(trx: Transaction<DB>, conversationId: string, authorId: string, key: string) {
  return trx
    .selectFrom('messages')
    .selectAll()
    .where('conversationId', '=', conversationId)
    .where('authorId', '=', authorId)
    .where('idempotencyKey', '=', key)
    .executeTakeFirst()
}

export function memberName(db: Reader, userId: string, organizationId: string) {
  return db
    .selectFrom('members')
    .select('displayName')
    .where('userId', '=', userId)
    .where('organizationId', '=', organizationId)
    .executeTakeFirst()
}

export function insertMessage(trx: Transaction<DB>, row: MessageRow) {
  return trx.insertInto('messages').values(row).returningAll().executeTakeFirstOrThrow()
}

/** Counts a new message on the conversation. */
export function touchConversation(trx: Transaction<DB>, id: string, at: Date) {
  return trx
    .updateTable('conversations')
    .set((eb) => ({ lastMessageAt: at, messageCount: eb('messageCount', '+', 1) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** The title of a conversation's subject: the need's, or the booked listing's. */
export async function subjectTitle(db: Reader, type: 'booking' | 'need', subjectId: string): Promise<string> {
  if (type === 'need') {
    return (await db.selectFrom('needs').select('title').where('id', '=', subjectId).executeTakeFirst())?.title ?? ''
  }
  const row = await db
    .selectFrom('bookings')
    .innerJoin('listings', 'listings.id', 'bookings.listingId')
    .select('listings.title')
    .where('bookings.id', '=', subjectId)
    .executeTakeFirst()
  return row?.title ?? ''
}
