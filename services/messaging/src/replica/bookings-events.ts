import {
  BOOKINGS_EVENTS,
  BookingChangedPayload,
  type FeedEvent,
  type NotificationType,
  RatingsPublishedPayload,
} from '@commons/contracts'
import type { Transaction } from 'kysely'
import type { BookingRow, DB } from '../db/schema.ts'
import type { MessagingDeps } from '../deps.ts'
import { REMINDER_LEADS, reminderKey } from '../jobs.ts'
import { adminsOf, notifyUsers } from '../notifications/notify.ts'
import { findBooking, listingTitle, organizationName, saveBooking } from './replica.repository.ts'

type Deps = Pick<MessagingDeps, 'clock' | 'jobs' | 'channels'>
type Side = 'requester' | 'provider'

/** Who hears of a booking entering each status, and as what. */
const ON_STATUS: Record<string, Array<{ to: Side; type: NotificationType }>> = {
  requested: [{ to: 'provider', type: 'booking_requested' }],
  confirmed: [{ to: 'requester', type: 'booking_accepted' }],
  declined: [{ to: 'requester', type: 'booking_declined' }],
  cancelled: [
    { to: 'requester', type: 'booking_cancelled' },
    { to: 'provider', type: 'booking_cancelled' },
  ],
  expired: [
    { to: 'requester', type: 'booking_expired' },
    { to: 'provider', type: 'booking_expired' },
  ],
  payment_expired: [{ to: 'requester', type: 'booking_expired' }],
  completed: [
    { to: 'requester', type: 'booking_completed' },
    { to: 'provider', type: 'booking_completed' },
  ],
}

/**
 * Applies one bookings-feed event: the booking's parties and status (conversations' access is decided by
 * them), a notification for each status it enters, and its reminders, scheduled when it is confirmed and
 * cancelled when it leaves confirmed. Idempotent by the booking's version.
 */
export async function applyBookingsEvent(trx: Transaction<DB>, deps: Deps, event: FeedEvent): Promise<void> {
  if (event.type === BOOKINGS_EVENTS.ratingsPublished) return applyRatingsPublished(trx, deps, event)
  if (event.type !== BOOKINGS_EVENTS.bookingChanged) return
  const { booking } = BookingChangedPayload.parse(event.payload)
  const before = await findBooking(trx, booking.id)
  if (before && before.version >= booking.version) return
  const row: BookingRow = {
    id: booking.id,
    listingId: booking.listingId,
    providerOrganizationId: booking.providerOrganizationId,
    requesterOrganizationId: booking.requesterOrganizationId,
    requesterUserId: booking.requesterUserId,
    status: booking.status,
    startAt: new Date(booking.start),
    endAt: new Date(booking.end),
    version: booking.version,
  }
  await saveBooking(trx, row)
  if (before?.status === row.status) {
    // Still confirmed but moved: the pending reminders follow the new start.
    if (row.status === 'confirmed' && before.startAt.getTime() !== row.startAt.getTime())
      await scheduleReminders(trx, deps, row)
    return
  }
  // An instant booking enters `confirmed` without passing `requested`: the provider still hears of it.
  const rules = [...(ON_STATUS[row.status] ?? [])]
  if (row.status === 'confirmed' && before?.status !== 'requested')
    rules.push({ to: 'provider', type: 'booking_requested' })
  for (const rule of rules) {
    const users = rule.to === 'requester' ? [row.requesterUserId] : await adminsOf(trx, row.providerOrganizationId)
    await notifyUsers(trx, deps, users, {
      type: rule.type,
      params: await bookingParams(trx, row, rule.to),
      link: `/bookings/${row.id}`,
      dedupeKey: `booking:${row.id}:${rule.type}`,
    })
  }
  if (row.status === 'confirmed') await scheduleReminders(trx, deps, row)
  else if (before?.status === 'confirmed') {
    for (const lead of ['24h', '2h'] as const) await deps.jobs.cancel(trx, reminderKey(row.id, lead))
  }
}

/** Both ratings of a booking are public: the booker and the provider's admins may read them and reply. */
async function applyRatingsPublished(trx: Transaction<DB>, deps: Deps, event: FeedEvent) {
  const { bookingId } = RatingsPublishedPayload.parse(event.payload)
  // The booking.changed events come first on the same feed, so the booking is known.
  const row = await findBooking(trx, bookingId)
  if (!row) return
  for (const side of ['requester', 'provider'] as const) {
    const users = side === 'requester' ? [row.requesterUserId] : await adminsOf(trx, row.providerOrganizationId)
    await notifyUsers(trx, deps, users, {
      type: 'rating_published',
      params: await bookingParams(trx, row, side),
      link: `/bookings/${row.id}`,
      dedupeKey: `booking:${row.id}:rating_published`,
    })
  }
}

/** What a booking's notifications say: the listing, the time, and the other side's name. */
export async function bookingParams(trx: Pick<Transaction<DB>, 'selectFrom'>, row: BookingRow, audience: Side) {
  const other = audience === 'requester' ? row.providerOrganizationId : row.requesterOrganizationId
  return {
    title: (await listingTitle(trx, row.listingId)) ?? '',
    start: row.startAt.toISOString(),
    organization: (await organizationName(trx, other)) ?? '',
  }
}

/** One job per lead time, keyed per booking; a reminder whose time has passed is not sent late. */
async function scheduleReminders(trx: Transaction<DB>, deps: Deps, row: BookingRow) {
  const now = deps.clock.now().getTime()
  for (const [lead, ms] of Object.entries(REMINDER_LEADS) as Array<[keyof typeof REMINDER_LEADS, number]>) {
    const runAt = new Date(row.startAt.getTime() - ms)
    if (runAt.getTime() <= now) continue
    await deps.jobs.enqueue(
      trx,
      'booking.reminder',
      { bookingId: row.id, lead, startAt: row.startAt.toISOString() },
      { runAt, key: reminderKey(row.id, lead) },
    )
  }
}
