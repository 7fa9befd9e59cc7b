import { Listing } from '@commons/contracts'
import type { Test } from 'tap'
import { act, bearer, book, makeListing, parties, testApp } from './helpers.ts'

const DAY = 86_400_000

/**
 * A bookings app with one published listing (venue, or volunteer time), its two parties, and a factory of
 * bookings driven through the real API to any state. Every booking gets a fresh day; the clock is set
 * before each step, so tests may move it freely in between.
 */
export async function ratingsSetup(
  t: Test,
  opts: { kind?: 'venue' | 'volunteer_time'; mode?: 'request' | 'instant' } = {},
) {
  const h = await testApp(t)
  const base = makeListing({ rules: { mode: opts.mode ?? 'request' } })
  let listing = base
  if (opts.kind === 'volunteer_time') {
    const {
      capacity: _capacity,
      amenities: _amenities,
      ...rest
    } = base as Listing & {
      capacity?: number
      amenities?: unknown
    }
    listing = Listing.parse({ ...rest, kind: 'volunteer_time', title: '志愿讲解服务', skills: ['讲解', '陪伴'] })
  }
  await h.publish(listing)
  const p = await parties(listing)
  let day = Date.parse('2027-01-01T02:00:00Z') // 10:00 in Shanghai
  const bookingsDb = h.app.bookings.deps.db

  /** A booking of one hour on a fresh day, moved through `steps` (accept, then complete / no-show / cancel). */
  async function bookingIn(
    state: 'requested' | 'confirmed' | 'completed' | 'no_show' | 'cancelled',
    over: { requesterToken?: string; requesterOrg?: string; hours?: number } = {},
  ) {
    day += 2 * DAY
    const start = new Date(day)
    const end = new Date(day + (over.hours ?? 1) * 3600_000)
    h.clock.set(new Date(day - 3 * DAY))
    const res = await book(h.app, over.requesterToken ?? p.requester.token, {
      listingId: listing.id,
      organizationId: over.requesterOrg ?? p.requesterOrg,
      start: start.toISOString(),
      end: end.toISOString(),
    })
    if (res.statusCode !== 201) throw new Error(res.body)
    const booking = res.json() as { id: string; status: string; start: string; end: string }
    if (state === 'requested') return booking
    if (booking.status === 'requested' && state !== 'cancelled')
      await must(act(h.app, p.provider.token, booking.id, 'accept'))
    if (state === 'confirmed') return booking
    if (state === 'cancelled') {
      await must(act(h.app, over.requesterToken ?? p.requester.token, booking.id, 'cancel'))
      return booking
    }
    h.clock.set(new Date(end.getTime() + 30 * 60_000))
    await must(act(h.app, p.provider.token, booking.id, state === 'completed' ? 'complete' : 'no-show'))
    return booking
  }

  const rate = (token: string, bookingId: string, body: Record<string, unknown>) =>
    h.app.inject({ method: 'POST', url: `/v1/bookings/${bookingId}/ratings`, headers: bearer(token), payload: body })
  const get = (url: string, token?: string) => h.app.inject({ method: 'GET', url, headers: token ? bearer(token) : {} })

  /**
   * Committed outbox events of a type, in the order they were written. Read from the table, not the feed:
   * the feed holds back events while any older transaction (the app's workers run some) is still open, so a
   * count taken through it can miss what was just written.
   */
  const events = async (type: string) =>
    bookingsDb
      .selectFrom('events')
      .select(['type', 'entityId', 'version', 'payload'])
      .where('type', '=', type)
      .orderBy('id')
      .execute()

  return { h, listing, p, bookingIn, rate, get, events, db: bookingsDb }
}

async function must(res: Promise<{ statusCode: number; body: string }>) {
  const r = await res
  if (r.statusCode >= 300) throw new Error(`${r.statusCode} ${r.body}`)
  return r
}

/** The constraint named by the database error a promise rejects with (undefined if it resolves). */
export async function violatedConstraint(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise
    return undefined
  } catch (error) {
    return (error as { constraint?: string }).constraint
  }
}
