import { newId } from '@commons/db'
import t from 'tap'
import { bookingChanged, listing, need, openNeed, publish, search, testApp } from './helpers.ts'

const ids = (res: { json(): { hits: Array<{ id: string }> } }) => res.json().hits.map((hit) => hit.id)

/** A booking.changed payload of `listingId` for [start, end). */
function booking(listingId: string, start: string, end: string, overrides: Record<string, unknown> = {}) {
  return {
    id: newId(),
    listingId,
    listingKind: 'venue' as const,
    providerOrganizationId: newId(),
    requesterOrganizationId: newId(),
    requesterUserId: newId(),
    status: 'confirmed' as const,
    holdsSlot: true,
    start,
    end,
    bufferMinutes: 0,
    attendees: 10,
    version: 1,
    ...overrides,
  }
}

t.test('availability window', async (t) => {
  const h = await testApp(t)
  // Far enough ahead for notice rules, on whole hours: every listing below opens 08:00-22:00 (Shanghai).
  // Pick a window at 10:00-12:00 Shanghai time two days ahead.
  const day = new Date(Date.now() + 2 * 86_400_000)
  const date = day.toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' })
  const at = (hhmm: string) => new Date(`${date}T${hhmm}:00+08:00`).toISOString()
  const from = at('10:00')
  const to = at('12:00')

  const free = Array.from({ length: 5 }, (_, i) => listing({ title: `空闲会议室${i}` }))
  const booked = listing({ title: '已被预订的会议室' })
  const buffered = listing({ title: '带缓冲的会议室', rules: { minNoticeHours: 0, bufferMinutes: 30 } })
  const closed = listing({
    title: '周末才开的会议室',
    availability: { weekly: {}, exceptions: [{ date, closed: true }] },
  })
  const shortHours = listing({
    title: '上午不开的会议室',
    availability: {
      weekly: Object.fromEntries(
        ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ start: '11:00', end: '18:00' }]]),
      ),
    },
  })
  const farNotice = listing({ title: '要提前一周的会议室', rules: { minNoticeHours: 24 * 7 } })
  const cancelled = listing({ title: '预订已取消的会议室' })
  for (const l of [...free, booked, buffered, closed, shortHours, farNotice, cancelled]) await publish(h.listingsDb, l)
  await bookingChanged(h.bookingsDb, booking(booked.id, at('11:00'), at('13:00')))
  // Ends at 09:45: with a 30 minute buffer a 10:00 start is too close.
  await bookingChanged(h.bookingsDb, booking(buffered.id, at('08:00'), at('09:45')))
  const c = booking(cancelled.id, at('10:00'), at('11:00'))
  await bookingChanged(h.bookingsDb, c)
  await bookingChanged(h.bookingsDb, { ...c, status: 'cancelled', holdsSlot: false, version: 2 })
  await h.sync()

  t.test('only listings bookable for the whole window, with exact totals', async (t) => {
    const res = await search(h.app, { q: '会议室', from, to, perPage: '50' })
    t.equal(res.statusCode, 200, res.body)
    const expected = [...free.map((l) => l.id), cancelled.id].sort()
    t.same(ids(res).sort(), expected)
    t.equal(res.json().total, 6)
    t.same(res.json().facets.kind, { venue: 6 }, 'facets count the bookable listings only')
    const without = await search(h.app, { q: '会议室' })
    t.equal(without.json().total, 11, 'without a window every match counts')
  })

  t.test('pages over the bookable listings', async (t) => {
    const pages = []
    for (const page of ['1', '2', '3']) {
      const res = await search(h.app, { q: '会议室', from, to, perPage: '4', page })
      t.equal(res.json().total, 6)
      pages.push(...ids(res))
    }
    t.equal(pages.length, 6)
    t.equal(new Set(pages).size, 6, 'no listing on two pages')
  })

  t.test('a window the busy listing has free', async (t) => {
    const res = await search(h.app, { q: '会议室', from: at('14:00'), to: at('15:00'), perPage: '50' })
    t.ok(ids(res).includes(booked.id), 'free after its booking ends at 13:00')
    t.equal(res.json().total, 9, 'all but the closed and the week-ahead listing')
  })

  t.test('matches: listings fitting a need, needs fitting a listing', async (t) => {
    const n = need({ window: { start: from, end: to }, attendees: 20, title: '需要会议室开居民议事会' })
    const tooBig = need({ window: { start: from, end: to }, attendees: 500 })
    const elsewhere = need({ window: { start: from, end: to }, district: '黄浦区' })
    for (const x of [n, tooBig, elsewhere]) await openNeed(h.listingsDb, x)
    await h.sync()
    const res = await h.app.inject({ method: 'GET', url: `/v1/matches/needs/${n.id}` })
    t.equal(res.statusCode, 200, res.body)
    const matched = res
      .json()
      .items.map((i: { id: string }) => i.id)
      .sort()
    t.same(matched, [...free.map((l) => l.id), cancelled.id].sort(), 'bookable venues in the district')
    const none = await h.app.inject({ method: 'GET', url: `/v1/matches/needs/${tooBig.id}` })
    t.same(none.json().items, [], 'no venue holds 500')

    const forFree = await h.app.inject({ method: 'GET', url: `/v1/matches/listings/${free[0]!.id}` })
    t.equal(forFree.statusCode, 200, forFree.body)
    t.same(
      forFree.json().items.map((i: { id: string }) => i.id),
      [n.id],
      'the need in its district that it has room and time for',
    )
    const forBooked = await h.app.inject({ method: 'GET', url: `/v1/matches/listings/${booked.id}` })
    t.same(forBooked.json().items, [], 'busy during the need')

    const missing = await h.app.inject({ method: 'GET', url: `/v1/matches/needs/${newId()}` })
    t.equal(missing.statusCode, 404)
    const bad = await h.app.inject({ method: 'GET', url: '/v1/matches/listings/not-an-id' })
    t.equal(bad.statusCode, 400)
  })
})
