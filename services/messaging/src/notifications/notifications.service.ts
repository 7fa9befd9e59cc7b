import {
  type Actor,
  type Language,
  type Notification,
  type NotificationPreferences,
  NotificationType,
  type UpdatePreferencesBody,
} from '@commons/contracts'
import { pageOf, readCursor } from '@commons/service-kit'
import { type Kysely, sql } from 'kysely'
import { z } from 'zod'
import type { DB, NotificationRow } from '../db/schema.ts'
import type { MessagingDeps } from '../deps.ts'
import { preferencesOf } from './notify.ts'
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

/** How many of the user's notifications are unread. */
export async function unreadCount(db: Kysely<DB>, userId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('userId', '=', userId)
    .where('readAt', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** `GET /v1/notifications`: the caller's, newest first, optionally only unread ones. */
export async function listNotifications(
  deps: Pick<MessagingDeps, 'db'>,
  actor: Actor,
  q: { unread?: boolean | undefined; cursor?: string | undefined; limit: number },
) {
  const at = readCursor(Position, q.cursor)
  let query = deps.db.selectFrom('notifications').selectAll().where('userId', '=', actor.userId)
  if (q.unread) query = query.where('readAt', 'is', null)
  if (at) query = query.where(sql<boolean>`(created_at, seq) < (${at[0]}::timestamptz, ${at[1]}::bigint)`)
  const rows = await query
    .orderBy('createdAt', 'desc')
    .orderBy('seq', 'desc')
    .limit(q.limit + 1)
    .execute()
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
  let update = deps.db
    .updateTable('notifications')
    .set({ readAt: deps.clock.now() })
    .where('userId', '=', actor.userId)
    .where('readAt', 'is', null)
  if ('ids' in body) update = update.where('id', 'in', body.ids)
  await update.execute()
  await sql`select pg_notify('messaging_notifications', ${actor.userId})`.execute(deps.db)
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
    await trx
      .insertInto('preferences')
      .values({ userId: actor.userId, ...row })
      .onConflict((oc) => oc.column('userId').doUpdateSet(row))
      .execute()
  })
  return getPreferences(deps, actor)
}
