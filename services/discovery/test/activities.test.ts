import { newId } from '@commons/db'
import t from 'tap'
import { endOfWeek } from '../src/search/activities.service.ts'
import {
  activity,
  activityChanged,
  inHours,
  listing,
  publish,
  reputationUpdated,
  scorecardUpdated,
  search,
  searchActivities,
  testApp,
} from './helpers.ts'

const ids = (res: { statusCode: number; body: string; json(): { hits: Array<{ id: string }> } }) => {
  if (res.statusCode !== 200) throw new Error(`search answered ${res.statusCode}: ${res.body}`)
  return res.json().hits.map((h) => h.id)
}

t.test(
  'activities are searchable in Chinese and pinyin and filter by date, place, group and volunteer places',
  async (t) => {
    const h = await testApp(t)
    const phones = activity({ title: '智能手机课堂', targetGroups: ['elderly'], volunteerPlaces: 4 })
    const children = activity({
      title: '周末陪伴留守儿童',
      description: '读绘本、做手工',
      category: 'companionship',
      targetGroups: ['left_behind_children'],
      volunteerPlaces: 0,
      volunteerSkills: [],
      place: { kind: 'address', listingId: null, title: null, district: '黄浦区', address: '南京东路2号' },
      start: inHours(24 * 9),
      end: inHours(24 * 9 + 3),
      signUpDeadline: inHours(24 * 8),
    })
    const beijing = activity({
      title: '法律讲座进社区',
      description: '律师讲解劳动合同',
      category: 'lecture',
      targetGroups: ['migrant_workers'],
      volunteerSkills: [],
    })
    // Already under way: it still counts as this week's, whatever day the test runs.
    const running = activity({
      title: '园区暴走',
      description: '沿园区步道健走',
      category: 'sports',
      targetGroups: ['white_collar'],
      volunteerSkills: ['领队'],
      start: inHours(-1),
      end: inHours(2),
      signUpDeadline: inHours(-2),
    })
    await activityChanged(h.communityDb, phones)
    await activityChanged(h.communityDb, children)
    await activityChanged(h.communityDb, beijing, '北京')
    await activityChanged(h.communityDb, running)
    await h.sync()

    t.same(ids(await searchActivities(h.app, { q: '智能手机' })), [phones.id], 'Chinese words')
    t.same(ids(await searchActivities(h.app, { q: '手機課堂' })), [phones.id], 'traditional script folds')
    t.same(ids(await searchActivities(h.app, { q: 'shouji' })), [phones.id], 'pinyin')
    t.same(ids(await searchActivities(h.app, { q: '老年人' })), [phones.id], 'the target group by its Chinese name')
    t.same(ids(await searchActivities(h.app, { q: '留守儿童' })), [children.id])

    const all = await searchActivities(h.app)
    t.equal(all.statusCode, 200)
    t.equal(all.json().total, 4)
    t.equal(ids(all)[0], running.id, 'soonest first')
    t.equal(ids(all).at(-1), children.id)
    const hit = all.json().hits.find((x: { id: string }) => x.id === phones.id)
    t.match(hit, { title: '智能手机课堂', city: '上海', district: '浦东新区', volunteerPlaces: 4 })
    t.equal(hit.organization.badge, false)

    t.same(ids(await searchActivities(h.app, { district: '黄浦区' })), [children.id], 'district')
    t.same(ids(await searchActivities(h.app, { targetGroup: 'left_behind_children' })), [children.id], 'target group')
    t.same(ids(await searchActivities(h.app, { city: '北京' })), [beijing.id], 'city')
    t.notOk(
      ids(await searchActivities(h.app, { hasVolunteerPlaces: 'true' })).includes(children.id),
      'volunteer places',
    )
    t.same(ids(await searchActivities(h.app, { hasVolunteerPlaces: 'false' })), [children.id])
    const window = await searchActivities(h.app, { from: inHours(24 * 7), to: inHours(24 * 12) })
    t.same(ids(window), [children.id], 'date range')
    const week = await searchActivities(h.app, { thisWeek: 'true', city: '上海' })
    t.ok(ids(week).includes(running.id), "this week's activities in the city")
    t.notOk(ids(week).includes(children.id), 'nine days ahead is never this week')
    t.notOk(ids(week).includes(beijing.id))
    t.equal((await searchActivities(h.app, { thisWeek: 'true', from: inHours(1) })).statusCode, 400)
    t.equal((await searchActivities(h.app, { targetGroup: 'aliens' })).statusCode, 400)
  },
)

t.test('the week ends on Monday 00:00 in Shanghai', async (t) => {
  // Sunday 23:30 in Shanghai is 15:30 UTC; the week ends 30 minutes later.
  t.equal(endOfWeek(new Date('2026-12-06T15:30:00Z')).toISOString(), '2026-12-06T16:00:00.000Z')
  // Monday 00:30 in Shanghai starts a new week, ending the next Monday.
  t.equal(endOfWeek(new Date('2026-12-06T16:30:00Z')).toISOString(), '2026-12-13T16:00:00.000Z')
})

t.test('a cancelled activity leaves the index, and an older snapshot replayed does not bring it back', async (t) => {
  const h = await testApp(t)
  const a = activity({ title: '垃圾分类宣讲', version: 2 })
  await activityChanged(h.communityDb, a)
  await h.sync()
  t.same(ids(await searchActivities(h.app, { q: '垃圾分类' })), [a.id])
  await activityChanged(h.communityDb, { ...a, status: 'cancelled', cancelReason: '场地维修', version: 3 })
  await h.sync()
  t.same(ids(await searchActivities(h.app, { q: '垃圾分类' })), [], 'cancelled')
  await activityChanged(h.communityDb, a)
  await h.sync()
  t.same(ids(await searchActivities(h.app, { q: '垃圾分类' })), [], 'the replay of version 2 changes nothing')
})

t.test('an ended activity is not found', async (t) => {
  const h = await testApp(t)
  const past = activity({ title: '上周的读书会', start: inHours(-30), end: inHours(-28), signUpDeadline: inHours(-31) })
  await activityChanged(h.communityDb, past)
  await h.sync()
  t.same(ids(await searchActivities(h.app, { q: '读书会' })), [])
  t.same(ids(await searchActivities(h.app, { q: '读书会', from: inHours(-48) })), [past.id], 'unless asked for')
})

t.test('a top-decile organization is lifted above equally relevant ones until it is marked 整改中', async (t) => {
  const h = await testApp(t)
  const plain = newId()
  const lifted = newId()
  // Equal by every text rule; the plain one is better rated and used, so it comes first without the lift.
  const a = listing({ organizationId: plain, title: '社区会议室', tags: ['会议'] })
  const b = listing({ organizationId: lifted, title: '社区会议室', tags: ['会议'] })
  await publish(h.listingsDb, a)
  await publish(h.listingsDb, b)
  await reputationUpdated(h.bookingsDb, a.id, 4.9, 20, 1)
  const early = activity({ organizationId: plain, title: '党史宣讲', start: inHours(24), end: inHours(26) })
  const later = activity({ organizationId: lifted, title: '党史宣讲', start: inHours(30), end: inHours(32) })
  await activityChanged(h.communityDb, early)
  await activityChanged(h.communityDb, later)
  await h.sync()
  const order = async () => ({
    listings: ids(await search(h.app, { q: '会议室' })),
    activities: ids(await searchActivities(h.app, { q: '党史', sort: 'relevance' })),
  })
  t.same(await order(), { listings: [a.id, b.id], activities: [early.id, later.id] }, 'no lift yet')

  await scorecardUpdated(h.communityDb, lifted, { badge: true, rectifying: false, version: 1 })
  await h.sync()
  t.same(await order(), { listings: [b.id, a.id], activities: [later.id, early.id] }, 'the badge lifts')
  const hit = (await search(h.app, { q: '会议室' })).json().hits[0]
  t.equal(hit.organization.badge, true, 'and shows')
  t.same(ids(await searchActivities(h.app, { q: '党史' })), [early.id, later.id], 'a chosen order is kept')
  t.same(ids(await search(h.app, { q: '会议室', sort: 'rating' })), [a.id, b.id], 'so is a chosen sort')

  await scorecardUpdated(h.communityDb, lifted, { badge: true, rectifying: true, version: 2 })
  await h.sync()
  t.same(await order(), { listings: [a.id, b.id], activities: [early.id, later.id] }, '整改中 loses the lift')
  await scorecardUpdated(h.communityDb, lifted, { badge: true, rectifying: false, version: 1 })
  await h.sync()
  t.same(await order(), { listings: [a.id, b.id], activities: [early.id, later.id] }, 'an older card changes nothing')
})

t.test("recommendations include upcoming activities, soonest first, not the member's own", async (t) => {
  const h = await testApp(t)
  const sign = h.signer
  const near = activity({ title: '社区义剪', start: inHours(72), end: inHours(74) })
  const far = activity({
    title: '亲子阅读',
    start: inHours(24),
    end: inHours(26),
    place: { kind: 'address', listingId: null, title: null, district: '黄浦区', address: '南京东路2号' },
  })
  const own = newId()
  const mine = activity({ organizationId: own, title: '自家的活动', start: inHours(12), end: inHours(13) })
  await activityChanged(h.communityDb, near)
  await activityChanged(h.communityDb, far)
  await activityChanged(h.communityDb, mine)
  await h.sync()
  const token = await sign.token({ sub: newId(), orgs: { [own]: 'member' } })
  const res = await h.app.inject({
    method: 'GET',
    url: '/v1/recommendations',
    headers: { authorization: `Bearer ${token}` },
  })
  t.equal(res.statusCode, 200)
  t.same(
    res.json().activities.map((a: { id: string }) => a.id),
    [far.id, near.id],
    "soonest first, without the member's own organization's",
  )
})
