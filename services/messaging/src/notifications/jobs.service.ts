import { NotificationType } from '@commons/contracts'
import type { MessagingDeps } from '../deps.ts'
import type { MessagingJobs } from '../jobs.ts'
import { bookingParams } from '../replica/bookings-events.ts'
import { findBooking } from '../replica/replica.repository.ts'
import { findDelivery, findNotification, recordDelivery } from './notifications.repository.ts'
import { adminsOf, notifyUsers, preferencesOf } from './notify.ts'
import { renderNotification } from './templates.ts'
import { unsubscribeUrl } from './unsubscribe.ts'

/**
 * A reminder is due: both sides hear of it, if the booking is still confirmed and still starts when the
 * reminder was scheduled for (a moved booking has a reminder of its own under the same key).
 */
export async function runReminder(deps: MessagingDeps, job: MessagingJobs['booking.reminder']): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const booking = await findBooking(trx, job.bookingId)
    if (booking?.status !== 'confirmed' || booking.startAt.toISOString() !== job.startAt) return
    const type = job.lead === '24h' ? 'booking_reminder_24h' : 'booking_reminder_2h'
    for (const side of ['requester', 'provider'] as const) {
      const users =
        side === 'requester' ? [booking.requesterUserId] : await adminsOf(trx, booking.providerOrganizationId)
      await notifyUsers(trx, deps, users, {
        type,
        params: await bookingParams(trx, booking, side),
        link: `/bookings/${booking.id}`,
        dedupeKey: `booking:${booking.id}:${type}:${job.startAt}`,
      })
    }
  })
}

/**
 * Sends one notification through one channel, once: the delivery row is written after the send, so a crash
 * in between sends again (at least once), and a notification already delivered is skipped. A recipient who
 * opted out since the job was queued gets nothing.
 */
export async function runDelivery(deps: MessagingDeps, job: MessagingJobs['notification.deliver']): Promise<void> {
  const channel = deps.channels.get(job.channel)
  if (!channel) return
  const notification = await findNotification(deps.db, job.notificationId)
  if (!notification) return
  const done = await findDelivery(deps.db, notification.id, channel.name)
  if (done) return
  const prefs = (await preferencesOf(deps.db, [notification.userId])).get(notification.userId)!
  const type = NotificationType.parse(notification.type)
  if (!prefs.emailEnabled || prefs.types[type]?.email === false) return
  const address = channel.addressOf({ userId: notification.userId, email: prefs.emailAddress })
  if (!address) return
  const text = renderNotification(type, notification.params, prefs.language)
  const base = deps.config.PUBLIC_URL.replace(/\/+$/, '')
  await channel.send(address, {
    subject: text.title,
    text: text.body,
    url: `${base}${notification.link}`,
    unsubscribeUrl: unsubscribeUrl(deps, notification.userId, channel.name),
    language: prefs.language,
  })
  await recordDelivery(deps.db, notification.id, channel.name, deps.clock.now())
}
