import { createHash } from 'node:crypto'
import type { Actor, Message } from '@commons/contracts'
import { newId } from '@commons/db'
import { pageOf, readCursor, unprocessable } from '@commons/service-kit'
import { sql } from 'kysely'
import { z } from 'zod'
import type { MessageRow } from '../db/schema.ts'
import type { MessagingDeps } from '../deps.ts'
import { notifyUsers } from '../notifications/notify.ts'
import { accessConversation, conversationEvent, readMessageNotifications } from './conversations.service.ts'
import { partiesOf } from './parties.ts'

const Position = z.tuple([z.iso.datetime(), z.uuid()])
const PREVIEW_LENGTH = 60

export function toMessageDto(row: MessageRow): Message {
  return {
    id: row.id,
    conversationId: row.conversationId,
    author: { userId: row.authorId, displayName: row.authorName, organizationId: row.authorOrganizationId },
    text: row.text,
    createdAt: row.createdAt.toISOString(),
  }
}

/** `GET /v1/conversations/:id/messages?before=`: newest first, keyset pages towards older messages. */
export async function listMessages(
  deps: Pick<MessagingDeps, 'db' | 'clock'>,
  actor: Actor,
  id: string,
  q: { before?: string | undefined; limit: number },
) {
  const at = readCursor(Position, q.before)
  await accessConversation(deps.db, actor, id, { now: deps.clock.now(), forModeration: 'read' })
  let query = deps.db.selectFrom('messages').selectAll().where('conversationId', '=', id)
  if (at) query = query.where(sql<boolean>`(created_at, id) < (${at[0]}::timestamptz, ${at[1]}::uuid)`)
  const rows = await query
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute()
  return pageOf(rows, q.limit, toMessageDto, (r) => [r.createdAt.toISOString(), r.id])
}

/**
 * `POST /v1/conversations/:id/messages`: a party writes. With an Idempotency-Key, the same key and text
 * answer the first message again (a retried send posts once); the same key with another text is 422.
 * The other parties are notified in the same transaction.
 */
export async function postMessage(
  deps: MessagingDeps,
  actor: Actor,
  id: string,
  text: string,
  idempotencyKey?: string,
): Promise<{ created: boolean; message: Message }> {
  const requestHash = createHash('sha256').update(text).digest('base64url')
  return deps.db.transaction().execute(async (trx) => {
    const { row: conversation, side } = await accessConversation(trx, actor, id, { now: deps.clock.now() })
    // Lock the conversation: messages of one conversation are numbered in order, and a retried request
    // with the same key waits for the first to commit instead of racing it.
    await trx.selectFrom('conversations').select('id').where('id', '=', id).forUpdate().execute()
    if (idempotencyKey !== undefined) {
      const earlier = await trx
        .selectFrom('messages')
        .selectAll()
        .where('conversationId', '=', id)
        .where('authorId', '=', actor.userId)
        .where('idempotencyKey', '=', idempotencyKey)
        .executeTakeFirst()
      if (earlier) {
        if (earlier.requestHash !== requestHash) {
          throw unprocessable('idempotency_key_reused', 'This Idempotency-Key was used with another message.')
        }
        return { created: false, message: toMessageDto(earlier) }
      }
    }
    const author = await trx
      .selectFrom('members')
      .select('displayName')
      .where('userId', '=', actor.userId)
      .where('organizationId', '=', side ?? '')
      .executeTakeFirst()
    const now = deps.clock.now()
    const row = await trx
      .insertInto('messages')
      .values({
        id: newId(now.getTime()),
        conversationId: id,
        authorId: actor.userId,
        authorName: author?.displayName ?? '',
        authorOrganizationId: side,
        text,
        createdAt: now,
        idempotencyKey: idempotencyKey ?? null,
        requestHash,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    const saved = await trx
      .updateTable('conversations')
      .set((eb) => ({ lastMessageAt: now, messageCount: eb('messageCount', '+', 1) }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    // Writing is reading: the author has seen everything up to their own message.
    await trx
      .insertInto('conversationReads')
      .values({ conversationId: id, userId: actor.userId, readAt: now })
      .onConflict((oc) => oc.columns(['conversationId', 'userId']).doUpdateSet({ readAt: now }))
      .execute()
    await readMessageNotifications(trx, actor.userId, id, now)
    await conversationEvent(trx, saved)
    const others = (await partiesOf(trx, conversation)).filter((u) => u !== actor.userId)
    const title = await subjectTitle(trx, conversation.subjectType, conversation.subjectId)
    await notifyUsers(trx, deps, others, {
      type: 'message_received',
      params: { title, author: row.authorName, preview: [...text].slice(0, PREVIEW_LENGTH).join('') },
      link: conversation.subjectType === 'booking' ? `/bookings/${conversation.subjectId}` : `/conversations/${id}`,
      dedupeKey: `message:${row.id}`,
    })
    return { created: true, message: toMessageDto(row) }
  })
}

async function subjectTitle(
  trx: Parameters<typeof partiesOf>[0],
  type: 'booking' | 'need',
  subjectId: string,
): Promise<string> {
  if (type === 'need') {
    return (await trx.selectFrom('needs').select('title').where('id', '=', subjectId).executeTakeFirst())?.title ?? ''
  }
  const row = await trx
    .selectFrom('bookings')
    .innerJoin('listings', 'listings.id', 'bookings.listingId')
    .select('listings.title')
    .where('bookings.id', '=', subjectId)
    .executeTakeFirst()
  return row?.title ?? ''
}
