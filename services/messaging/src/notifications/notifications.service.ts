import {
  type Actor,
  type Language,
  type Notification,
  type NotificationPreferences,
  NotificationType,
  type UpdatePreferencesBody,
} from '@commons/contracts'
import { pageOf, readCursor } from '@commons/service-kit'
import { z } from 'zod'
import type { NotificationRow } from '../db/schema.ts'
import type { MessagingDeps } from '../deps.ts'
import {
  markNotificationsRead,
  pageNotifications,
  savePreferences,
  signalStreams,
  unreadCount,
} from './notifications.repository.ts'
import { preferencesOf } from './notify.ts'

export { unreadCount }

import { renderNotification } from './templates.ts'

const Position = z.tuple([z.iso.datetime(), z.number().int()])

/** A notification as its recipient reads it, in their language. */
export function toNotificationDto(row: NotificationRow, language: Language): Notification {
  const type = NotificationType.parse(row.type)
  const text = renderNotification(type, row.params, language)
  return {
    id: row.id,
    type,
    title: text.title,
    body: text.body,
    link: row.link,
    read: row.readAt !== null,
    createdAt: row.createdAt.toISOString(),
  }
}

/** `GET /v1/notifications`: the caller's, newest first, optionally only unread ones. */
export async function listNotifications(
  deps: Pick<MessagingDeps, 'db'>,
  actor: Actor,
  q: { unread?: boolean | undefined; cursor?: string | undefined; limit: number },
) {
  const at = readCursor(Position, q.cursor)
  const rows = await pageNotifications(deps.db, actor.userId, { unread: q.unread, at, limit: q.limit })
  const language = (await preferencesOf(deps.db, [actor.userId])).get(actor.userId)!.language
  const page = pageOf(
    rows,
    q.limit,
    (r) => toNotificationDto(r, language),
    (r) => [r.createdAt.toISOString(), r.seq],
  )
  return { ...page, unread: await unreadCount(deps.db, actor.userId) }
}

/** `POST /v1/notifications/read`: marks the named ones (or all) read; answers the unread count left. */
export async function markRead(
  deps: Pick<MessagingDeps, 'db' | 'clock'>,
  actor: Actor,
  body: { ids: string[] } | { all: true },
) {
  await markNotificationsRead(deps.db, actor.userId, deps.clock.now(), 'ids' in body ? body.ids : undefined)
  await signalStreams(deps.db, actor.userId)
  return { unread: await unreadCount(deps.db, actor.userId) }
}

/** The caller's preferences with every type listed (defaults where unset). */
export async function getPreferences(deps: Pick<MessagingDeps, 'db'>, actor: Actor): Promise<NotificationPreferences> {
  const prefs = (await preferencesOf(deps.db, [actor.userId])).get(actor.userId)!
  const types = Object.fromEntries(
    NotificationType.options.map((t) => [
      t,
      { inApp: prefs.types[t]?.inApp ?? true, email: prefs.types[t]?.email ?? true },
    ]),
  ) as NotificationPreferences['types']
  return {
    language: prefs.language,
    email: { address: prefs.emailAddress, enabled: prefs.emailEnabled },
    types,
  }
}

/** `PUT /v1/notifications/preferences`: merges the changes given into the caller's preferences. */
export async function updatePreferences(
  deps: Pick<MessagingDeps, 'db' | 'clock'>,
  actor: Actor,
  body: UpdatePreferencesBody,
): Promise<NotificationPreferences> {
  await deps.db.transaction().execute(async (trx) => {
    const current = (await preferencesOf(trx, [actor.userId])).get(actor.userId)!
    const types = { ...current.types }
    for (const [type, switches] of Object.entries(body.types ?? {})) {
      types[type as NotificationType] = { ...types[type as NotificationType], ...switches }
    }
    const row = {
      language: body.language ?? current.language,
      emailAddress: body.email?.address === undefined ? current.emailAddress : body.email.address,
      emailEnabled: body.email?.enabled ?? current.emailEnabled,
      types: JSON.stringify(Object.entries(types).map(([type, switches]) => ({ type, ...switches }))),
      updatedAt: deps.clock.now(),
    }
    await savePreferences(trx, actor.userId, row)
  })
  return getPreferences(deps, actor)
}
