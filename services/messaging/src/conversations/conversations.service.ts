import { type Actor, type Conversation, type CreateConversationBody, MESSAGING_EVENTS } from '@commons/contracts'
import { type AnyTransaction, appendEvent, newId } from '@commons/db'
import { conflict, forbidden, notFound, pageOf, readCursor } from '@commons/service-kit'
import { type Kysely, sql, type Transaction } from 'kysely'
import { z } from 'zod'
import type { ConversationRow, DB } from '../db/schema.ts'
import type { MessagingDeps } from '../deps.ts'
import { NOTIFICATIONS_CHANNEL } from '../notifications/notify.ts'
import { isParty, sideOf } from './parties.ts'

type Deps = Pick<MessagingDeps, 'db' | 'clock'>
const Position = z.tuple([z.iso.datetime(), z.uuid()])
const PREVIEW_LENGTH = 80

/** Appends `conversation.updated`: who talks about what and when, never what was said. */
export function conversationEvent(trx: AnyTransaction, row: ConversationRow) {
  return appendEvent(trx, {
    type: MESSAGING_EVENTS.conversationUpdated,
    entityId: row.id,
    version: row.messageCount + 1,
    payload: {
      conversation: {
        id: row.id,
        subject: { type: row.subjectType, id: row.subjectId },
        requesterOrganizationId: row.requesterOrganizationId,
        providerOrganizationId: row.providerOrganizationId,
        messages: row.messageCount,
        lastMessageAt: row.lastMessageAt?.toISOString() ?? null,
      },
    },
  })
}

/**
 * `POST /v1/conversations`: the conversation of a booking, or of a need and the organization answering it,
 * created on first ask and returned on every later one (the unique subject key settles concurrent asks).
 * Someone who would not be a party learns nothing: the subject is "not found" for them.
 */
export async function openConversation(deps: Deps, actor: Actor, body: CreateConversationBody) {
  const { subject, organizationId } = body
  return deps.db.transaction().execute(async (trx) => {
    let sides: { requester: string; provider: string }
    if (subject.type === 'booking') {
      const booking = await trx.selectFrom('bookings').selectAll().where('id', '=', subject.id).executeTakeFirst()
      if (!booking || ![booking.providerOrganizationId, booking.requesterOrganizationId].includes(organizationId)) {
        throw notFound('booking', subject.id)
      }
      sides = { requester: booking.requesterOrganizationId, provider: booking.providerOrganizationId }
    } else {
      const need = await trx.selectFrom('needs').selectAll().where('id', '=', subject.id).executeTakeFirst()
      if (!need) throw notFound('need', subject.id)
      if (need.organizationId === organizationId) {
        throw forbidden('A need is answered by another organization, not the one that posted it.', 'own_organization')
      }
      const provider = await trx
        .selectFrom('organizations')
        .select('id')
        .where('id', '=', organizationId)
        .executeTakeFirst()
      if (!provider) throw notFound('organization', organizationId)
      sides = { requester: need.organizationId, provider: organizationId }
    }
    const candidate: ConversationRow = {
      id: newId(deps.clock.now().getTime()),
      subjectType: subject.type,
      subjectId: subject.id,
      requesterOrganizationId: sides.requester,
      providerOrganizationId: sides.provider,
      createdAt: deps.clock.now(),
      lastMessageAt: null,
      messageCount: 0,
      reportedAt: null,
      reportedBy: null,
      reportReason: null,
    }
    if (!(await sideOf(trx, candidate, actor.userId))) throw notFound(subject.type, subject.id)
    const inserted = await trx
      .insertInto('conversations')
      .values(candidate)
      .onConflict((oc) => oc.columns(['subjectType', 'subjectId', 'providerOrganizationId']).doNothing())
      .returningAll()
      .executeTakeFirst()
    if (inserted) await conversationEvent(trx, inserted)
    const row =
      inserted ??
      (await trx
        .selectFrom('conversations')
        .selectAll()
        .where('subjectType', '=', subject.type)
        .where('subjectId', '=', subject.id)
        .where('providerOrganizationId', '=', sides.provider)
        .executeTakeFirstOrThrow())
    return { created: inserted !== undefined, conversation: (await toDtos(trx, [row], actor.userId))[0]! }
  })
}

/**
 * A conversation the actor may read: a party always; a moderator only once a party reported it, and then
 * every reading is audited. Anyone else gets 404, as if it did not exist.
 */
export async function accessConversation(
  db: Kysely<DB> | Transaction<DB>,
  actor: Actor,
  id: string,
  opts: { now: Date; forModeration?: 'read' },
): Promise<{ row: ConversationRow; side: string | null }> {
  const row = await db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw notFound('conversation', id)
  const side = await sideOf(db, row, actor.userId)
  if (side) return { row, side }
  if (opts.forModeration === 'read' && actor.moderator && row.reportedAt) {
    await db
      .insertInto('moderationReads')
      .values({ conversationId: id, moderatorId: actor.userId, readAt: opts.now })
      .execute()
    return { row, side: null }
  }
  throw notFound('conversation', id)
}

/** `GET /v1/conversations`: the caller's, newest activity first, each with its unread count. */
export async function listConversations(deps: Deps, actor: Actor, q: { cursor?: string | undefined; limit: number }) {
  const at = readCursor(Position, q.cursor)
  const activity = sql<Date>`coalesce(conversations.last_message_at, conversations.created_at)`
  let query = deps.db
    .selectFrom('conversations')
    .selectAll()
    .select(activity.as('activityAt'))
    .where((eb) => isParty(eb, actor))
  if (at) query = query.where(sql<boolean>`(${activity}, conversations.id) < (${at[0]}::timestamptz, ${at[1]}::uuid)`)
  const rows = await query
    .orderBy(activity, 'desc')
    .orderBy('conversations.id', 'desc')
    .limit(q.limit + 1)
    .execute()
  const page = pageOf(
    rows,
    q.limit,
    (r) => r,
    (r) => [r.activityAt.toISOString(), r.id],
  )
  return { items: await toDtos(deps.db, page.items, actor.userId), nextCursor: page.nextCursor }
}

/** `GET /v1/conversations/reported` (moderators): reported conversations, newest report first. */
export async function listReported(deps: Deps, actor: Actor) {
  if (!actor.moderator) throw forbidden('Only moderators may do this.')
  const rows = await deps.db
    .selectFrom('conversations')
    .selectAll()
    .where('reportedAt', 'is not', null)
    .orderBy('reportedAt', 'desc')
    .limit(100)
    .execute()
  return { items: await toDtos(deps.db, rows, actor.userId), nextCursor: null }
}

/** `GET /v1/conversations/:id`. */
export async function getConversation(deps: Deps, actor: Actor, id: string): Promise<Conversation> {
  const { row } = await accessConversation(deps.db, actor, id, { now: deps.clock.now(), forModeration: 'read' })
  return (await toDtos(deps.db, [row], actor.userId))[0]!
}

/** `POST /v1/conversations/:id/report`: a party asks moderators to look; they may read it from then on. */
export async function reportConversation(deps: Deps, actor: Actor, id: string, reason: string) {
  return deps.db.transaction().execute(async (trx) => {
    const { row } = await accessConversation(trx, actor, id, { now: deps.clock.now() })
    if (row.reportedAt) throw conflict('already_reported', 'This conversation was reported already.')
    const saved = await trx
      .updateTable('conversations')
      .set({ reportedAt: deps.clock.now(), reportedBy: actor.userId, reportReason: reason })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    return (await toDtos(trx, [saved], actor.userId))[0]!
  })
}

/** `POST /v1/conversations/:id/read`: everything up to now is read by the caller. */
export async function markConversationRead(deps: Deps, actor: Actor, id: string) {
  await accessConversation(deps.db, actor, id, { now: deps.clock.now() })
  const readAt = deps.clock.now()
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('conversationReads')
      .values({ conversationId: id, userId: actor.userId, readAt })
      .onConflict((oc) => oc.columns(['conversationId', 'userId']).doUpdateSet({ readAt }))
      .execute()
    await readMessageNotifications(trx, actor.userId, id, readAt)
  })
  return getConversation(deps, actor, id)
}

/**
 * The "new message" notifications of messages the user has now seen in the conversation are read too:
 * otherwise the bell keeps counting a message the page already shows. Open streams hear the new count.
 */
export async function readMessageNotifications(trx: Transaction<DB>, userId: string, id: string, upTo: Date) {
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
  if (read.numUpdatedRows > 0n) await sql`select pg_notify(${NOTIFICATIONS_CHANNEL}, ${userId})`.execute(trx)
}

/** Conversations as `userId` sees them: titles, organization names, last message, unread count. */
export async function toDtos(
  db: Kysely<DB> | Transaction<DB>,
  rows: ConversationRow[],
  userId: string,
): Promise<Conversation[]> {
  if (rows.length === 0) return []
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
  const orgName = new Map(orgs.map((o) => [o.id, o.name]))
  const title = new Map(titles.map((t) => [t.id, t.title ?? '']))
  const unreadOf = new Map(unread.map((u) => [u.conversationId, Number(u.n)]))
  const lastOf = new Map(last.map((m) => [m.conversationId, m.text]))
  return rows.map((r) => {
    const preview = lastOf.get(r.id)
    return {
      id: r.id,
      subject: { type: r.subjectType, id: r.subjectId },
      title: title.get(r.id) ?? '',
      requesterOrganization: { id: r.requesterOrganizationId, name: orgName.get(r.requesterOrganizationId) ?? '' },
      providerOrganization: { id: r.providerOrganizationId, name: orgName.get(r.providerOrganizationId) ?? '' },
      lastMessageAt: r.lastMessageAt?.toISOString() ?? null,
      lastMessagePreview: preview === undefined ? null : [...preview].slice(0, PREVIEW_LENGTH).join(''),
      unread: unreadOf.get(r.id) ?? 0,
      reported: r.reportedAt !== null,
      createdAt: r.createdAt.toISOString(),
    }
  })
}
