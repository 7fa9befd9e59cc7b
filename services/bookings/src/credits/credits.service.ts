import type { Actor } from '@commons/contracts'
import { newId } from '@commons/db'
import { forbidden } from '@commons/service-kit'
import { sql, type Transaction } from 'kysely'
import type { BookingRow, DB } from '../db/schema.ts'
import type { BookingsDeps } from '../deps.ts'

const MINUTE = 60_000
const hours = (minutes: number) => Math.round((minutes / 60) * 100) / 100

/**
 * The volunteer of a volunteer_time booking: the provider admin who accepted it, or for an instant booking
 * the one who completed it (listings name no volunteer, and only the provider's admins act on a booking).
 * Moderator overrides and timers name nobody; then only organizations are credited.
 */
async function volunteerOf(trx: Transaction<DB>, booking: BookingRow): Promise<string | null> {
  const row = await trx
    .selectFrom('bookingAudit')
    .select('actorUserId')
    .where('bookingId', '=', booking.id)
    .where('action', 'in', ['accept', 'complete'])
    .where('moderatorOverride', '=', false)
    .where('actorUserId', 'is not', null)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst()
  return row?.actorUserId ?? null
}

/**
 * Credits a completed volunteer_time booking, once (unique journal per booking and kind). Double entry:
 * the giving side (the volunteer member and the provider organization) gains the hours, the receiving side
 * (the booking member and the requesting organization) spends them, so every journal sums to zero; a
 * deferred constraint trigger refuses the commit of any journal that does not.
 */
export async function creditVolunteerBooking(trx: Transaction<DB>, booking: BookingRow, now: Date): Promise<boolean> {
  if (booking.listingKind !== 'volunteer_time' || booking.status !== 'completed') return false
  const minutes = Math.round((booking.endAt.getTime() - booking.startAt.getTime()) / MINUTE)
  const journal = await trx
    .insertInto('creditJournals')
    .values({ id: newId(), bookingId: booking.id, kind: 'earn', createdAt: now })
    .onConflict((oc) => oc.columns(['bookingId', 'kind']).doNothing())
    .returning('id')
    .executeTakeFirst()
  if (!journal) return false
  const volunteer = await volunteerOf(trx, booking)
  const entries: Array<{
    accountKind: 'member' | 'organization'
    accountId: string
    organizationId: string
    minutes: number
  }> = [
    {
      accountKind: 'organization' as const,
      accountId: booking.providerOrganizationId,
      organizationId: booking.providerOrganizationId,
      minutes,
    },
    {
      accountKind: 'organization' as const,
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
  await trx
    .insertInto('creditEntries')
    .values(entries.map((e) => ({ ...e, journalId: journal.id, createdAt: now })))
    .execute()
  await checkBalanced(trx)
  return true
}

/**
 * Runs the deferred balance check of the journal just written, now. At commit, a failure would only roll
 * back the feed consumer's batch, to be retried with backoff and never reported to its caller; here it
 * fails the handler that wrote the journal, naming `credit_entries_balanced`. Deferred again afterwards,
 * so the rest of the transaction keeps the schema's timing.
 */
async function checkBalanced(trx: Transaction<DB>): Promise<void> {
  await sql`set constraints credit_entries_balanced immediate`.execute(trx)
  await sql`set constraints credit_entries_balanced deferred`.execute(trx)
}

/** A credited booking that became a no-show (or was cancelled) gets a reversing journal: it credits nothing. */
export async function reverseVolunteerBooking(trx: Transaction<DB>, bookingId: string, now: Date): Promise<boolean> {
  const earned = await trx
    .selectFrom('creditJournals')
    .select('id')
    .where('bookingId', '=', bookingId)
    .where('kind', '=', 'earn')
    .executeTakeFirst()
  if (!earned) return false
  const journal = await trx
    .insertInto('creditJournals')
    .values({ id: newId(), bookingId, kind: 'reverse', createdAt: now })
    .onConflict((oc) => oc.columns(['bookingId', 'kind']).doNothing())
    .returning('id')
    .executeTakeFirst()
  if (!journal) return false
  const original = await trx
    .selectFrom('creditEntries')
    .select(['accountKind', 'accountId', 'organizationId', 'minutes'])
    .where('journalId', '=', earned.id)
    .execute()
  await trx
    .insertInto('creditEntries')
    .values(original.map((e) => ({ ...e, minutes: -e.minutes, journalId: journal.id, createdAt: now })))
    .execute()
  await checkBalanced(trx)
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
  const journal = await trx
    .insertInto('creditJournals')
    .values({
      id: newId(),
      bookingId: null,
      activityId: served.activityId,
      registrationId: served.registrationId,
      kind: 'earn',
      createdAt: now,
    })
    .onConflict((oc) => oc.columns(['registrationId', 'kind']).where('registrationId', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst()
  if (!journal) return false
  await trx
    .insertInto('creditEntries')
    .values([
      {
        journalId: journal.id,
        accountKind: 'member',
        accountId: served.userId,
        organizationId: served.organizationId,
        minutes: served.minutes,
        createdAt: now,
      },
      {
        journalId: journal.id,
        accountKind: 'organization',
        accountId: served.organizationId,
        organizationId: served.organizationId,
        minutes: -served.minutes,
        createdAt: now,
      },
    ])
    .execute()
  await checkBalanced(trx)
  return true
}

async function entriesOf(db: BookingsDeps['db'], kind: 'member' | 'organization', id: string) {
  return db
    .selectFrom('creditEntries as e')
    .innerJoin('creditJournals as j', 'j.id', 'e.journalId')
    .select(['j.bookingId', 'j.activityId', 'j.kind', 'e.minutes', 'e.organizationId', 'e.createdAt'])
    .where('e.accountKind', '=', kind)
    .where('e.accountId', '=', id)
    .orderBy('e.id', 'desc')
    .execute()
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
  const rows = await entriesOf(deps.db, 'member', memberId)
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
  const rows = await entriesOf(deps.db, 'organization', organizationId)
  const ofBookings = rows.filter((r) => r.bookingId !== null)
  const bookings = new Set(ofBookings.filter((r) => r.kind === 'earn').map((r) => r.bookingId))
  const reversed = new Set(ofBookings.filter((r) => r.kind === 'reverse').map((r) => r.bookingId))
  return {
    organizationId,
    ...totals(rows),
    bookings: [...bookings].filter((b) => !reversed.has(b)).length,
  }
}
