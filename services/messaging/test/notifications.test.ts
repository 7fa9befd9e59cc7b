import { randomUUID } from 'node:crypto'
import { LISTINGS_EVENTS } from '@commons/contracts'
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
  t.equal((await notificationsOf(h, owner)).items[0].type, 'organization_verified')
  const group = await h.organization('幸福里居委会', [[groupMember, 'member']])
  const needId = await h.need(group, '周末需要场地办读书会')
  const latest = (await notificationsOf(h, owner)).items[0]
  t.equal(latest.type, 'need_matches_listing')
  t.equal(latest.link, `/needs/${needId}`)
  t.equal((await notificationsOf(h, groupMember)).items.length, 0, 'the group is not told of its own need')
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
