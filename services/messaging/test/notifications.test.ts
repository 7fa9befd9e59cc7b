import { randomUUID } from 'node:crypto'
import { BOOKINGS_EVENTS, LISTINGS_EVENTS } from '@commons/contracts'
import t from 'tap'
import { bookingScene, type Harness, type Person, person, testApp } from './helpers.ts'

const notificationsOf = async (h: Harness, who: Person, query = '') =>
  (await h.app.inject({ method: 'GET', url: `/v1/notifications${query}`, headers: who.headers })).json()

/** The notifications about bookings (the scene's listing also told its owners it was published). */
const aboutBookings = async (h: Harness, who: Person) => {
  const page = await notificationsOf(h, who)
  return page.items.filter((n: { link: string }) => n.link.startsWith('/bookings/'))
}
const types = (items: Array<{ type: string }>) => items.map((n) => n.type)

t.test('each status a booking enters notifies the side it concerns, once, linking to the booking', async (t) => {
  const h = await testApp(t)
  const s = await bookingScene(h)
  const provider = await aboutBookings(h, s.providerAdmin)
  t.same(types(provider), ['booking_requested'])
  t.equal(provider[0].link, `/bookings/${s.booking.id}`)
  t.match(provider[0].title, '二楼多功能厅')
  t.match(provider[0].body, '阳光社区居委会')
  t.equal((await notificationsOf(h, s.providerMember)).items.length, 0, 'plain members are not told')
  t.equal((await notificationsOf(h, s.booker)).items.length, 0)

  const confirmed = await h.booking(s.booking, 'confirmed')
  const booker = await notificationsOf(h, s.booker)
  t.same(
    booker.items.map((n: { type: string }) => n.type),
    ['booking_accepted'],
  )
  t.match(booker.items[0].body, '浦东党群服务中心')
  // A replayed event (same version) adds nothing.
  await h.booking({ ...confirmed, version: confirmed.version - 1 }, 'confirmed')
  t.equal((await notificationsOf(h, s.booker)).items.length, 1)

  await h.booking(confirmed, 'completed')
  t.same(
    (await notificationsOf(h, s.booker)).items.map((n: { type: string }) => n.type),
    ['booking_completed', 'booking_accepted'],
  )
  t.same(types(await aboutBookings(h, s.providerAdmin)), ['booking_completed', 'booking_requested'])
})

t.test('marking read: some or all, and the unread filter', async (t) => {
  const h = await testApp(t)
  const s = await bookingScene(h)
  await h.booking({ ...s.booking, id: randomUUID(), version: 0 }, 'requested')
  const all = await notificationsOf(h, s.providerAdmin)
  t.equal(all.unread, 3, 'two requests and the listing published')
  const one = await h.app.inject({
    method: 'POST',
    url: '/v1/notifications/read',
    headers: s.providerAdmin.headers,
    payload: { ids: [all.items[0].id] },
  })
  t.same(one.json(), { unread: 2 })
  const unread = await notificationsOf(h, s.providerAdmin, '?unread=true')
  t.same(
    unread.items.map((n: { id: string }) => n.id),
    [all.items[1].id, all.items[2].id],
  )
  // Someone else's ids are not theirs to mark.
  await h.app.inject({
    method: 'POST',
    url: '/v1/notifications/read',
    headers: s.booker.headers,
    payload: { ids: [all.items[1].id] },
  })
  t.equal((await notificationsOf(h, s.providerAdmin)).unread, 2)
  const rest = await h.app.inject({
    method: 'POST',
    url: '/v1/notifications/read',
    headers: s.providerAdmin.headers,
    payload: { all: true },
  })
  t.same(rest.json(), { unread: 0 })
})

t.test('a type muted in-app stays out of the bell', async (t) => {
  const h = await testApp(t)
  const s = await bookingScene(h)
  const prefs = await h.app.inject({
    method: 'PUT',
    url: '/v1/notifications/preferences',
    headers: s.booker.headers,
    payload: { types: { booking_accepted: { inApp: false } }, language: 'en' },
  })
  t.equal(prefs.statusCode, 200)
  t.same(prefs.json().types.booking_accepted, { inApp: false, email: true })
  t.same(prefs.json().types.booking_declined, { inApp: true, email: true })
  await h.booking(s.booking, 'confirmed')
  t.equal((await notificationsOf(h, s.booker)).unread, 0)
  const other = await h.booking({ ...s.booking, id: randomUUID(), version: 0 }, 'requested')
  await h.booking(other, 'declined')
  const page = await notificationsOf(h, s.booker)
  t.equal(page.unread, 1)
  t.match(page.items[0].title, 'Booking declined', 'rendered in the language chosen')
})

t.test('owners hear of their first publication, their verification, and needs that fit their listings', async (t) => {
  const h = await testApp(t)
  const [owner, groupMember] = await Promise.all([person('刘馆长'), person('孙阿姨')])
  const org = await h.organization('浦东图书馆', [[owner, 'owner']])
  await h.listing(org, '阅览室')
  t.same(
    (await notificationsOf(h, owner)).items.map((n: { type: string }) => n.type),
    ['listing_approved'],
  )
  await h.listings({
    type: LISTINGS_EVENTS.organizationUpdated,
    entityId: org,
    version: 2,
    payload: {
      organization: {
        id: org,
        name: '浦东图书馆',
        kind: 'other',
        district: '浦东新区',
        city: '上海',
        description: '',
        verified: true,
        version: 2,
        createdAt: '2026-11-01T00:00:00Z',
        updatedAt: '2026-11-02T00:00:00Z',
      },
    },
  })
  const verified = (await notificationsOf(h, owner)).items[0]
  t.equal(verified.type, 'organization_verified')
  t.equal(verified.link, `/orgs/${org}`, 'the organization page of the web UI')
  const group = await h.organization('幸福里居委会', [[groupMember, 'member']])
  await h.need(group, '周末需要场地办读书会')
  const latest = (await notificationsOf(h, owner)).items[0]
  t.equal(latest.type, 'need_matches_listing')
  t.equal(latest.link, '/needs?view=fits')
  t.match(latest.title, '周末需要场地办读书会')
  t.equal((await notificationsOf(h, groupMember)).items.length, 0, 'the group is not told of its own need')
})

t.test("a need notifies a provider only when discovery's fits view would list it with the listing", async (t) => {
  const h = await testApp(t)
  const [owner, groupMember] = await Promise.all([person('周主任'), person('钱阿姨')])
  const org = await h.organization('花木党群服务中心', [[owner, 'admin']])
  // Free, 40 seats, 09:00–18:00 Shanghai every day, 24 h notice.
  const listing = await h.listing(org, '多功能厅')
  const group = await h.organization('联洋居委会', [[groupMember, 'member']])
  // Taken on the 11th from 09:00 to 11:00 (Shanghai) by another booking.
  const taken = { start: '2026-12-11T01:00:00Z', end: '2026-12-11T03:00:00Z' }
  await h.booking(
    {
      id: randomUUID(),
      listingId: listing,
      providerOrganizationId: org,
      requesterOrganizationId: randomUUID(),
      requesterUserId: randomUUID(),
      ...taken,
      version: 0,
    },
    'confirmed',
  )
  await h.need(group, '五十人的大会', { attendees: 50 })
  await h.need(group, '晚上的活动', { window: { start: '2026-12-10T12:00:00Z', end: '2026-12-10T14:00:00Z' } })
  await h.need(group, '徐汇区的活动', { district: '徐汇区' })
  await h.need(group, '找一位讲师', { kind: 'expertise' })
  await h.need(group, '那天已被订走', { window: taken })
  await h.need(group, '三十人的读书会', { attendees: 30 })
  const told = (await notificationsOf(h, owner)).items.filter(
    (n: { type: string }) => n.type === 'need_matches_listing',
  )
  t.equal(
    told.length,
    1,
    'only the need that fits: not too many people, outside hours, elsewhere, another kind or booked',
  )
  t.match(told[0]?.title, '三十人的读书会')
})

t.test('a new message notifies the other parties', async (t) => {
  const h = await testApp(t)
  const s = await bookingScene(h)
  const id = (
    await h.app.inject({
      method: 'POST',
      url: '/v1/conversations',
      headers: s.booker.headers,
      payload: { subject: { type: 'booking', id: s.booking.id }, organizationId: s.requesterOrg },
    })
  ).json().id
  await h.app.inject({
    method: 'POST',
    url: `/v1/conversations/${id}/messages`,
    headers: s.booker.headers,
    payload: { text: '请问有停车位吗？' },
  })
  const latest = (await aboutBookings(h, s.providerAdmin))[0]
  t.equal(latest.type, 'message_received')
  t.match(latest.title, '王小明')
  t.equal(latest.body, '请问有停车位吗？')
  t.equal((await notificationsOf(h, s.booker)).items.length, 0, 'not the author')
})

t.test('owners hear of a rejected listing, each time, with a link to where the reason is shown', async (t) => {
  const h = await testApp(t)
  const [owner, member] = await Promise.all([person('刘馆长'), person('孙阿姨')])
  const org = await h.organization('浦东图书馆', [
    [owner, 'owner'],
    [member, 'member'],
  ])
  const listingId = randomUUID()
  const rejected = (version: number) => ({
    type: LISTINGS_EVENTS.listingRejected,
    entityId: listingId,
    version,
    payload: { listingId, organizationId: org, title: '阅览室', version },
  })
  await h.listings(rejected(3))
  await h.listings(rejected(3)) // delivered again: nothing more
  const first = await notificationsOf(h, owner)
  t.same(types(first.items), ['listing_rejected'])
  t.match(first.items[0].title, '阅览室')
  t.equal(first.items[0].link, `/orgs/${org}`)
  t.equal((await notificationsOf(h, member)).items.length, 0, 'plain members are not told')
  await h.listings(rejected(5)) // resubmitted and rejected again
  t.same(types((await notificationsOf(h, owner)).items), ['listing_rejected', 'listing_rejected'])
})

t.test('published ratings notify the booker and the provider admins, once', async (t) => {
  const h = await testApp(t)
  const s = await bookingScene(h)
  const done = await h.booking(await h.booking(s.booking, 'confirmed'), 'completed')
  const published = {
    type: BOOKINGS_EVENTS.ratingsPublished,
    entityId: done.id,
    version: 1,
    payload: {
      bookingId: done.id,
      listingId: done.listingId,
      providerOrganizationId: done.providerOrganizationId,
      requesterOrganizationId: done.requesterOrganizationId,
    },
  }
  await h.bookings(published)
  await h.bookings(published)
  for (const who of [s.booker, s.providerAdmin]) {
    const about = (await aboutBookings(h, who)).filter((n: { type: string }) => n.type === 'rating_published')
    t.equal(about.length, 1, `${who.name} is told once`)
    t.equal(about[0].link, `/bookings/${done.id}`)
    t.match(about[0].title, '二楼多功能厅')
  }
  const others = [s.colleague, s.providerMember]
  for (const who of others) {
    t.notOk(types(await aboutBookings(h, who)).includes('rating_published'), `${who.name} is not`)
  }
})
