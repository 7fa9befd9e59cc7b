import type { Actor } from '@commons/contracts'
import { forbidden } from '@commons/service-kit'
import type { Transaction } from 'kysely'
import type { BookingRow, DB } from '../db/schema.ts'
import type { BookingsDeps } from '../deps.ts'
import {
  accountEntries,
  type CreditEntry,
  earnedJournalOf,
  firstProviderActor,
  journalEntries,
  openJournal,
  writeEntries,
} from './credits.repository.ts'

const MINUTE = 60_000
const hours = (minutes: number) => Math.round((minutes / 60) * 100) / 100

/**
 * The volunteer of a volunteer_time booking: the provider admin who accepted it, or for an instant booking
 * the one who completed it (listings name no volunteer, and only the provider's admins act on a booking).
 * Moderator overrides and timers name nobody; then only organizations are credited.
 */
const volunteerOf = (trx: Transaction<DB>, booking: BookingRow) => firstProviderActor(trx, booking.id)

/**
 * Credits a completed volunteer_time booking, once (unique journal per booking and kind). Double entry:
 * the giving side (the volunteer member and the provider organization) gains the hours, the receiving side
 * (the booking member and the requesting organization) spends them, so every journal sums to zero; a
 * deferred constraint trigger refuses the commit of any journal that does not.
 */
export async function creditVolunteerBooking(trx: Transaction<DB>, booking: BookingRow, now: Date): Promise<boolean> {
  if (booking.listingKind !== 'volunteer_time' || booking.status !== 'completed') return false
  const minutes = Math.round((booking.endAt.getTime() - booking.startAt.getTime()) / MINUTE)
  const journal = await openJournal(trx, { bookingId: booking.id }, 'earn', now)
  if (!journal) return false
  const volunteer = await volunteerOf(trx, booking)
  const entries: CreditEntry[] = [
    {
      accountKind: 'organization',
      accountId: booking.providerOrganizationId,
      organizationId: booking.providerOrganizationId,
      minutes,
    },
    {
      accountKind: 'organization',
      accountId: booking.requesterOrganizationId,
      organizationId: booking.requesterOrganizationId,
      minutes: -minutes,
    },
  ]
  if (volunteer)
    entries.push(
      { accountKind: 'member', accountId: volunteer, organizationId: booking.providerOrganizationId, minutes },
      {
        accountKind: 'member',
        accountId: booking.requesterUserId,
        organizationId: booking.requesterOrganizationId,
        minutes: -minutes,
      },
    )
  await writeEntries(trx, journal, entries, now)
  return true
}

/** A credited booking that became a no-show (or was cancelled) gets a reversing journal: it credits nothing. */
export async function reverseVolunteerBooking(trx: Transaction<DB>, bookingId: string, now: Date): Promise<boolean> {
  const earned = await earnedJournalOf(trx, bookingId)
  if (!earned) return false
  const journal = await openJournal(trx, { bookingId }, 'reverse', now)
  if (!journal) return false
  const original = await journalEntries(trx, earned)
  await writeEntries(
    trx,
    journal,
    original.map((e) => ({ ...e, minutes: -e.minutes })),
    now,
  )
  return true
}

/**
 * Credits a volunteer's hours at a community activity, once per sign-up (community's
 * `activity.volunteer-served`). Double entry: the volunteer gains the hours, the host organization, which
 * received the service on behalf of the people it served, spends them; the journal sums to zero.
 */
export async function creditVolunteerServed(
  trx: Transaction<DB>,
  served: { registrationId: string; activityId: string; organizationId: string; userId: string; minutes: number },
  now: Date,
): Promise<boolean> {
  const origin = { bookingId: null, activityId: served.activityId, registrationId: served.registrationId }
  const journal = await openJournal(trx, origin, 'earn', now)
  if (!journal) return false
  await writeEntries(
    trx,
    journal,
    [
      {
        accountKind: 'member',
        accountId: served.userId,
        organizationId: served.organizationId,
        minutes: served.minutes,
      },
      {
        accountKind: 'organization',
        accountId: served.organizationId,
        organizationId: served.organizationId,
        minutes: -served.minutes,
      },
    ],
    now,
  )
  return true
}

function totals(rows: Array<{ minutes: number; kind: 'earn' | 'reverse' }>) {
  let balance = 0
  let given = 0
  let received = 0
  for (const r of rows) {
    balance += r.minutes
    // A reversal undoes the gain (or the spending) it reverses rather than adding the opposite kind.
    const gainSide = r.kind === 'earn' ? r.minutes > 0 : r.minutes < 0
    if (gainSide) given += r.minutes
    else received -= r.minutes
  }
  return { balanceHours: hours(balance), givenHours: hours(given), receivedHours: hours(received) }
}

/**
 * `GET /v1/time-credits/members/:id`: the member's own credits, shown to the member and to the admins of an
 * organization the member earned or spent credits for.
 */
export async function memberCredits(deps: BookingsDeps, actor: Actor, memberId: string) {
  const rows = await accountEntries(deps.db, 'member', memberId)
  const adminOfTheirs = rows.some(
    (r) => actor.roles[r.organizationId] === 'owner' || actor.roles[r.organizationId] === 'admin',
  )
  if (actor.userId !== memberId && !adminOfTheirs && !actor.moderator)
    throw forbidden('Only the member and the admins of their organization see these credits.')
  return {
    memberId,
    ...totals(rows),
    entries: rows.slice(0, 200).map((r) => ({
      bookingId: r.bookingId,
      activityId: r.activityId,
      kind: r.kind,
      hours: hours(r.minutes),
      organizationId: r.organizationId,
      at: r.createdAt.toISOString(),
    })),
  }
}

/** `GET /v1/time-credits/organizations/:id` (public): the organization's balance and totals. */
export async function organizationCredits(deps: BookingsDeps, organizationId: string) {
  const rows = await accountEntries(deps.db, 'organization', organizationId)
  const ofBookings = rows.filter((r) => r.bookingId !== null)
  const bookings = new Set(ofBookings.filter((r) => r.kind === 'earn').map((r) => r.bookingId))
  const reversed = new Set(ofBookings.filter((r) => r.kind === 'reverse').map((r) => r.bookingId))
  return {
    organizationId,
    ...totals(rows),
    bookings: [...bookings].filter((b) => !reversed.has(b)).length,
  }
}
