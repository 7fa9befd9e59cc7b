import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Actor } from '@commons/contracts'
import { replicaMembership } from '@commons/db'
import { forbidden, notFound } from '@commons/service-kit'
import ical, { ICalEventBusyStatus, ICalEventStatus } from 'ical-generator'
import { holdsSlot } from '../bookings/booking-machine.ts'
import type { BookingRow } from '../db/schema.ts'
import type { BookingsDeps } from '../deps.ts'
import { listingTitles } from '../listings/replica.repository.ts'
import { bookingsBetween, bumpCalendarFeed, findCalendarFeed } from './calendars.repository.ts'

const DAY = 86_400_000
/** A feed shows bookings from 30 days back to a year ahead. */
const PAST_MS = 30 * DAY
const FUTURE_MS = 366 * DAY
const PROD_ID = { company: 'Commons', product: 'bookings', language: 'ZH' }

/** Calendar-specific secret, derived so that it is never the service token itself. */
const calendarKey = (serviceToken: string) =>
  createHmac('sha256', serviceToken).update('commons:calendar-feed-token').digest()

function sign(serviceToken: string, organizationId: string, generation: number): string {
  const mac = createHmac('sha256', calendarKey(serviceToken))
    .update(`${organizationId}.${generation}`)
    .digest('base64url')
  return `${generation}.${mac}`
}

/**
 * A bookings' calendar: stable UIDs (the booking id), SEQUENCE = the booking's version so clients replace
 * an event when it changed, and bookings that no longer hold their slot as CANCELLED.
 */
function render(
  name: string,
  rows: BookingRow[],
  describe: (row: BookingRow) => { summary: string; description?: string },
) {
  const calendar = ical({ name, prodId: PROD_ID })
  for (const row of rows) {
    const text = describe(row)
    calendar.createEvent({
      id: `${row.id}@commons`,
      start: row.startAt,
      end: row.endAt,
      stamp: row.updatedAt,
      sequence: row.version,
      summary: text.summary,
      description: text.description ?? null,
      status: !holdsSlot(row.status)
        ? ICalEventStatus.CANCELLED
        : row.status === 'confirmed' || row.status === 'completed'
          ? ICalEventStatus.CONFIRMED
          : ICalEventStatus.TENTATIVE,
      busystatus: holdsSlot(row.status) ? ICalEventBusyStatus.BUSY : ICalEventBusyStatus.FREE,
    })
  }
  return calendar.toString()
}

/** `GET /v1/calendars/listings/:id.ics`: public busy times of a listing, no personal data. */
export async function listingCalendar(deps: BookingsDeps, listingId: string): Promise<string> {
  const title = (await listingTitles(deps.db, [listingId])).get(listingId)
  if (title === undefined) throw notFound('listing', listingId)
  const now = deps.clock.now().getTime()
  const rows = await bookingsBetween(deps.db, { listingId }, new Date(now - PAST_MS), new Date(now + FUTURE_MS))
  return render(`${title} · 占用时间`, rows, () => ({ summary: '已预订 (busy)' }))
}

/** Issues a private feed token for an organization, revoking any earlier one. Owners and admins only. */
export async function issueOrganizationCalendarToken(
  deps: BookingsDeps,
  actor: Actor,
  organizationId: string,
): Promise<{ token: string; path: string }> {
  const role = actor.roles[organizationId]
  if (role !== 'owner' && role !== 'admin') throw forbidden('Only owners and admins get the calendar link.')
  // The role was resolved from the newer of the token and the replica (resolveActor): remember how new.
  const known = await replicaMembership(deps.db, actor.userId, organizationId)
  const issued = {
    issuedBy: actor.userId,
    issuedMembersVersion: Math.max(known.version, actor.tokenState?.orgVersions[organizationId] ?? 0),
    updatedAt: deps.clock.now(),
  }
  const generation = await bumpCalendarFeed(deps.db, organizationId, issued)
  const token = sign(deps.config.SERVICE_TOKEN, organizationId, generation)
  return { token, path: `/v1/calendars/organizations/${organizationId}.ics?token=${token}` }
}

/**
 * A link lives only as long as its issuer's role: once the replica holds a membership snapshot at least as
 * new as the one the link was issued under, that snapshot decides.
 */
async function issuerStillAdmin(deps: BookingsDeps, organizationId: string, issuer: string, issuedAt: number) {
  const now = await replicaMembership(deps.db, issuer, organizationId)
  if (now.version < issuedAt) return true
  return now.role === 'owner' || now.role === 'admin'
}

/** `GET /v1/calendars/organizations/:id.ics?token=`: the organization's bookings, both sides, with details. */
export async function organizationCalendar(deps: BookingsDeps, organizationId: string, token: string): Promise<string> {
  const feed = await findCalendarFeed(deps.db, organizationId)
  const expected = feed ? Buffer.from(sign(deps.config.SERVICE_TOKEN, organizationId, feed.generation)) : undefined
  const given = Buffer.from(token)
  // A link expires: issued by an admin who later loses the role, it would otherwise stay a permanent
  // read access to the organization's bookings (issue 13).
  const expired =
    feed && deps.clock.now().getTime() > feed.updatedAt.getTime() + deps.config.CALENDAR_LINK_TTL_DAYS * 86_400_000
  // The same 404 for a wrong, revoked, expired or missing token: the feed's existence is not disclosed.
  if (!feed || !expected || expected.length !== given.length || !timingSafeEqual(expected, given) || expired)
    throw notFound('calendar', organizationId)
  if (feed.issuedBy && !(await issuerStillAdmin(deps, organizationId, feed.issuedBy, feed.issuedMembersVersion)))
    throw notFound('calendar', organizationId)
  const now = deps.clock.now().getTime()
  const rows = await bookingsBetween(deps.db, { organizationId }, new Date(now - PAST_MS), new Date(now + FUTURE_MS))
  // listingTitles asks nothing for no ids: `in ('')` on the uuid column failed, and an organization with no
  // bookings in the window got a 500.
  const titles = await listingTitles(deps.db, [...new Set(rows.map((r) => r.listingId))])
  return render('Commons 预订', rows, (row) => {
    const title = titles.get(row.listingId) ?? row.listingId
    const side = row.providerOrganizationId === organizationId ? '提供' : '预订'
    return {
      summary: `${side}: ${title}`,
      description: `${row.purpose}\n人数: ${row.attendees}\n状态: ${row.status}`,
    }
  })
}
