import { type Language, NotificationType } from '@commons/contracts'
import { newId } from '@commons/db'
import type { Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { MessagingDeps } from '../deps.ts'
import { insertNotification, preferenceRows, signalStreams } from './notifications.repository.ts'
import type { NotificationParams } from './templates.ts'

export { adminsOf, NOTIFICATIONS_CHANNEL } from './notifications.repository.ts'

/** A notification to create for some users. */
export interface NewNotification {
  type: NotificationType
  params: NotificationParams
  /** A path of the web UI, e.g. `/bookings/<id>`. */
  link: string
  /** What it is about, unique per user: the same key twice (a replayed event, a retried job) adds nothing. */
  dedupeKey: string
}

/** A member's preferences as stored, with the defaults filled in. */
export interface StoredPreferences {
  language: Language
  emailAddress: string | null
  emailEnabled: boolean
  types: Partial<Record<NotificationType, { inApp?: boolean; email?: boolean }>>
}

export const DEFAULT_PREFERENCES: StoredPreferences = {
  language: 'zh-CN',
  emailAddress: null,
  emailEnabled: true,
  types: {},
}

/** Preferences of each user (defaults for those who never set any). */
export async function preferencesOf(
  db: Pick<Transaction<DB>, 'selectFrom'>,
  userIds: readonly string[],
): Promise<Map<string, StoredPreferences>> {
  const rows = userIds.length === 0 ? [] : await preferenceRows(db, userIds)
  const found = new Map(
    rows.map((r) => [
      r.userId,
      {
        language: r.language === 'en' ? 'en' : 'zh-CN',
        emailAddress: r.emailAddress,
        emailEnabled: r.emailEnabled,
        types: Object.fromEntries(r.types.map(({ type, ...switches }) => [type, switches])),
      } satisfies StoredPreferences,
    ]),
  )
  return new Map(userIds.map((id) => [id, found.get(id) ?? DEFAULT_PREFERENCES]))
}

/**
 * Creates the notification for each user (once per dedupe key), in the caller's transaction: the effect
 * that causes it (a feed event applied, a message posted, a reminder due) and the notification commit
 * together. A type muted in-app is stored as read, so the bell ignores it while email may still go out.
 * Channel deliveries are jobs of the same transaction; open streams are woken when it commits.
 */
export async function notifyUsers(
  trx: Transaction<DB>,
  deps: Pick<MessagingDeps, 'clock' | 'jobs' | 'channels'>,
  userIds: readonly string[],
  notification: NewNotification,
): Promise<void> {
  const recipients = [...new Set(userIds)]
  if (recipients.length === 0) return
  const now = deps.clock.now()
  const preferences = await preferencesOf(trx, recipients)
  for (const userId of recipients) {
    const prefs = preferences.get(userId) ?? DEFAULT_PREFERENCES
    const switches = prefs.types[notification.type] ?? {}
    const inApp = switches.inApp ?? true
    const email = prefs.emailEnabled && (switches.email ?? true) && prefs.emailAddress !== null
    if (!inApp && !email) continue
    const inserted = await insertNotification(trx, {
      id: newId(now.getTime()),
      userId,
      type: NotificationType.parse(notification.type),
      params: JSON.stringify(notification.params),
      link: notification.link,
      createdAt: now,
      readAt: inApp ? null : now,
      dedupeKey: notification.dedupeKey,
    })
    if (!inserted) continue
    if (email && deps.channels.has('email')) {
      await deps.jobs.enqueue(
        trx,
        'notification.deliver',
        { notificationId: inserted.id, channel: 'email' },
        { maxAttempts: 8 },
      )
    }
    if (inApp) await signalStreams(trx, userId)
  }
}
