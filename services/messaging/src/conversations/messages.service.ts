import { createHash } from 'node:crypto'
import type { Actor, Message } from '@commons/contracts'
import { newId } from '@commons/db'
import { pageOf, readCursor, unprocessable } from '@commons/service-kit'
import { z } from 'zod'
import type { MessageRow } from '../db/schema.ts'
import type { MessagingDeps } from '../deps.ts'
import { notifyUsers } from '../notifications/notify.ts'
import {
  findMessageByKey,
  insertMessage,
  lockConversation,
  memberName,
  pageMessages,
  saveReadPosition,
  subjectTitle,
  touchConversation,
} from './conversations.repository.ts'
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
  const rows = await pageMessages(deps.db, id, at, q.limit)
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
    await lockConversation(trx, id)
    if (idempotencyKey !== undefined) {
      const earlier = await findMessageByKey(trx, id, actor.userId, idempotencyKey)
      if (earlier) {
        if (earlier.requestHash !== requestHash) {
          throw unprocessable('idempotency_key_reused', 'This Idempotency-Key was used with another message.')
        }
        return { created: false, message: toMessageDto(earlier) }
      }
    }
    const author = await memberName(trx, actor.userId, side ?? '')
    const now = deps.clock.now()
    const row = await insertMessage(trx, {
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
    const saved = await touchConversation(trx, id, now)
    // Writing is reading: the author has seen everything up to their own message.
    await saveReadPosition(trx, id, actor.userId, now)
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
