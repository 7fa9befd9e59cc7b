import { type Actor, type Conversation, type CreateConversationBody, MESSAGING_EVENTS } from '@commons/contracts'
import { type AnyTransaction, appendEvent, newId } from '@commons/db'
import { conflict, forbidden, notFound, pageOf, readCursor } from '@commons/service-kit'
import type { Kysely, Transaction } from 'kysely'
import { z } from 'zod'
import type { ConversationRow, DB } from '../db/schema.ts'
import type { MessagingDeps } from '../deps.ts'
import { signalStreams } from '../notifications/notifications.repository.ts'
import {
  conversationCardFacts,
  findBooking,
  findConversation,
  findConversationOf,
  findNeed,
  insertConversation,
  organizationExists,
  pageConversations,
  readMessageNotificationRows,
  recordModerationRead,
  reportedConversations,
  saveReadPosition,
  saveReport,
} from './conversations.repository.ts'
import { sideOf } from './parties.ts'

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
      const booking = await findBooking(trx, subject.id)
      if (!booking || ![booking.providerOrganizationId, booking.requesterOrganizationId].includes(organizationId)) {
        throw notFound('booking', subject.id)
      }
      sides = { requester: booking.requesterOrganizationId, provider: booking.providerOrganizationId }
    } else {
      const need = await findNeed(trx, subject.id)
      if (!need) throw notFound('need', subject.id)
      if (need.organizationId === organizationId) {
        throw forbidden('A need is answered by another organization, not the one that posted it.', 'own_organization')
      }
      if (!(await organizationExists(trx, organizationId))) throw notFound('organization', organizationId)
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
    const inserted = await insertConversation(trx, candidate)
    if (inserted) await conversationEvent(trx, inserted)
    const row = inserted ?? (await findConversationOf(trx, subject, sides.provider))
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
  const row = await findConversation(db, id)
  if (!row) throw notFound('conversation', id)
  const side = await sideOf(db, row, actor.userId)
  if (side) return { row, side }
  if (opts.forModeration === 'read' && actor.moderator && row.reportedAt) {
    await recordModerationRead(db, id, actor.userId, opts.now)
    return { row, side: null }
  }
  throw notFound('conversation', id)
}

/** `GET /v1/conversations`: the caller's, newest activity first, each with its unread count. */
export async function listConversations(deps: Deps, actor: Actor, q: { cursor?: string | undefined; limit: number }) {
  const at = readCursor(Position, q.cursor)
  const rows = await pageConversations(deps.db, actor, at, q.limit)
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
  const rows = await reportedConversations(deps.db, 100)
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
    const saved = await saveReport(trx, id, { at: deps.clock.now(), by: actor.userId, reason })
    return (await toDtos(trx, [saved], actor.userId))[0]!
  })
}

/** `POST /v1/conversations/:id/read`: everything up to now is read by the caller. */
export async function markConversationRead(deps: Deps, actor: Actor, id: string) {
  await accessConversation(deps.db, actor, id, { now: deps.clock.now() })
  const readAt = deps.clock.now()
  await deps.db.transaction().execute(async (trx) => {
    await saveReadPosition(trx, id, actor.userId, readAt)
    await readMessageNotifications(trx, actor.userId, id, readAt)
  })
  return getConversation(deps, actor, id)
}

/**
 * The "new message" notifications of messages the user has now seen in the conversation are read too:
 * otherwise the bell keeps counting a message the page already shows. Open streams hear the new count.
 */
export async function readMessageNotifications(trx: Transaction<DB>, userId: string, id: string, upTo: Date) {
  const read = await readMessageNotificationRows(trx, userId, id, upTo)
  if (read > 0n) await signalStreams(trx, userId)
}

/** Conversations as `userId` sees them: titles, organization names, last message, unread count. */
export async function toDtos(
  db: Kysely<DB> | Transaction<DB>,
  rows: ConversationRow[],
  userId: string,
): Promise<Conversation[]> {
  if (rows.length === 0) return []
  const { orgName, title, unreadOf, lastOf } = await conversationCardFacts(db, rows, userId)
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
