import { newId } from '@commons/db'
import t from 'tap'
import { listing, publish, reputationUpdated, search, testApp, updateOrganization, withdraw } from './helpers.ts'

const PEOPLE_SQUARE = { lat: 31.2304, lng: 121.4737 }
const verifiedOrg = newId()

t.test('search', async (t) => {
  const h = await testApp(t)
  const hours = [{ start: '09:00', end: '18:00' }]
  const fixtures = {
    meeting: listing({
      organizationId: verifiedOrg,
      title: '党群服务中心大会议室',
      description: '可容纳三十人的会议室，配投影仪',
      tags: ['会议', '党建'],
      location: { city: '上海', district: '浦东新区', address: '世纪大道1号', ...PEOPLE_SQUARE },
      capacity: 30,
      amenities: ['projector', 'wifi'],
    }),
    hall: listing({
      title: '社区多功能厅',
      description: '适合文艺演出和大型活动',
      tags: ['活动'],
      location: { city: '上海', district: '黄浦区', address: '南京东路2号', lat: 31.2317, lng: 121.4846 },
      capacity: 100,
      amenities: ['wifi', 'stage'],
      pricing: { model: 'fee', unit: 'hour', price: { amount: 5000, currency: 'CNY' } },
    }),
    lawyer: listing({
      kind: 'expertise',
      title: '公益法律咨询',
      description: '执业律师提供劳动合同、租房纠纷方面的法律咨询',
      tags: ['法律'],
      topics: ['劳动法'],
      formats: ['consultation'],
      delivery: 'online',
      location: { city: '上海', district: '徐汇区' },
    }),
    volunteer: listing({
      kind: 'volunteer_time',
      title: '摄影志愿服务',
      description: '为社区活动拍照',
      tags: [],
      skills: ['摄影'],
      location: { city: '上海', district: '静安区' },
    }),
    farVenue: listing({
      organizationId: verifiedOrg,
      title: '嘉定会场',
      description: '大型会场，可开年会',
      tags: ['会议'],
      location: { city: '上海', district: '嘉定区', address: '嘉定路3号', lat: 31.375, lng: 121.265 },
      capacity: 200,
      amenities: ['projector', 'parking', 'wifi'],
      pricing: { model: 'fee', unit: 'booking', price: { amount: 20000, currency: 'CNY' } },
      availability: { weekly: { mon: hours } },
    }),
  }
  for (const [name, l] of Object.entries(fixtures)) {
    await publish(h.listingsDb, l, l.organizationId === verifiedOrg ? { verified: true, name: '嘉定区总工会' } : {})
    t.comment(`${name}: ${l.id}`)
  }
  await h.sync()
  const ids = (res: { json(): { hits: Array<{ id: string }> } }) => res.json().hits.map((hit) => hit.id)
  const idsOf = (...names: Array<keyof typeof fixtures>) => names.map((n) => fixtures[n].id)

  t.test('Chinese queries find the right listings', async (t) => {
    const meeting = await search(h.app, { q: '会议室' })
    t.equal(meeting.statusCode, 200)
    t.same(ids(meeting)[0], fixtures.meeting.id, '会议室 ranks the meeting room first')
    t.notOk(ids(meeting).includes(fixtures.lawyer.id))
    const law = await search(h.app, { q: '法律咨询' })
    t.same(ids(law), idsOf('lawyer'))
    t.match(law.json().hits[0].highlightedTitle, /<mark>法律咨询<\/mark>|<mark>法律<\/mark>/)
    const topic = await search(h.app, { q: '劳动法' })
    t.same(ids(topic), idsOf('lawyer'), 'expertise topics are searchable as tags')
  })

  t.test('synonyms: 会场 also finds 会议室, 活动室 finds 多功能厅', async (t) => {
    const res = await search(h.app, { q: '会场' })
    t.ok(ids(res).includes(fixtures.meeting.id))
    t.ok(ids(res).includes(fixtures.farVenue.id))
    t.ok(ids(await search(h.app, { q: '活动室' })).includes(fixtures.hall.id))
  })

  t.test('suggest completes titles and tags', async (t) => {
    const res = await h.app.inject({ method: 'GET', url: `/v1/suggest?q=${encodeURIComponent('法律')}` })
    t.equal(res.statusCode, 200, res.body)
    t.same(
      res.json().listings.map((l: { id: string }) => l.id),
      idsOf('lawyer'),
    )
    t.match(res.json().listings[0].highlightedTitle, /<mark>法律<\/mark>/)
    t.same(res.json().tags, [{ value: '法律', count: 1 }])
    const empty = await h.app.inject({ method: 'GET', url: '/v1/suggest?q=' })
    t.equal(empty.statusCode, 400)
    t.match(empty.json().errors, [{ path: 'querystring.q' }])
  })

  t.test('snippets are HTML-escaped with matches marked', async (t) => {
    const res = await search(h.app, { q: '投影仪' })
    t.match(res.json().hits[0].snippet, /<mark>投影仪<\/mark>|<mark>投影<\/mark>/)
  })

  t.test('filters', async (t) => {
    const cases: Array<[Record<string, string | string[]>, string[]]> = [
      [{ kind: 'expertise' }, idsOf('lawyer')],
      [{ kind: 'expertise,volunteer_time' }, idsOf('lawyer', 'volunteer')],
      [{ district: ['黄浦区', '静安区'] }, idsOf('hall', 'volunteer')],
      [{ tags: '会议' }, idsOf('meeting', 'farVenue')],
      [{ tags: ['会议', '党建'] }, idsOf('meeting')],
      [{ amenities: 'projector,wifi' }, idsOf('meeting', 'farVenue')],
      [{ amenities: ['wifi', 'stage'] }, idsOf('hall')],
      [{ capacityMin: '50' }, idsOf('hall', 'farVenue')],
      [{ free: 'false' }, idsOf('hall', 'farVenue')],
      [{ kind: 'venue', free: 'true' }, idsOf('meeting')],
      [{ priceMax: '10000', kind: 'venue' }, idsOf('meeting', 'hall')],
      [{ verified: 'true' }, idsOf('meeting', 'farVenue')],
      [{ city: '北京' }, []],
    ]
    for (const [query, expected] of cases) {
      const res = await search(h.app, query)
      t.equal(res.statusCode, 200, JSON.stringify(query))
      t.same(ids(res).sort(), [...expected].sort(), JSON.stringify(query))
      t.equal(res.json().total, expected.length)
    }
  })

  t.test('facets count the matching listings', async (t) => {
    const res = await search(h.app, { kind: 'venue' })
    const { facets } = res.json()
    t.same(facets.kind, { venue: 3 })
    t.same(facets.district, { 浦东新区: 1, 黄浦区: 1, 嘉定区: 1 })
    t.same(facets.amenities.wifi, 3)
    t.same(facets.amenities.projector, 2)
    t.same(facets.pricingModel, { free: 1, fee: 2 })
    t.same(facets.organizationVerified, { true: 2, false: 1 })
  })

  t.test('near + radius keeps nearby listings and reports their distance; sort=distance orders them', async (t) => {
    const res = await search(h.app, { near: '31.2304,121.4737', radiusKm: '3', sort: 'distance' })
    t.equal(res.statusCode, 200, res.body)
    t.same(ids(res), idsOf('meeting', 'hall'))
    const [first, second] = res.json().hits
    t.equal(first.distanceKm, 0)
    t.ok(second.distanceKm > 0.5 && second.distanceKm < 2, `hall is ~1 km away (${second.distanceKm})`)
    const wide = await search(h.app, { near: '31.2304,121.4737', radiusKm: '50', sort: 'distance' })
    t.same(ids(wide), idsOf('meeting', 'hall', 'farVenue'))
  })

  t.test('sorts', async (t) => {
    t.same(ids(await search(h.app, { kind: 'venue', sort: 'price_asc' })), idsOf('meeting', 'hall', 'farVenue'))
    t.same(ids(await search(h.app, { kind: 'venue', sort: 'price_desc' })), idsOf('farVenue', 'hall', 'meeting'))
    await reputationUpdated(h.bookingsDb, fixtures.hall.id, 4.8, 12, 1)
    await reputationUpdated(h.bookingsDb, fixtures.farVenue.id, 3.9, 4, 1)
    await h.sync()
    const rated = await search(h.app, { kind: 'venue', sort: 'rating' })
    t.same(ids(rated), idsOf('hall', 'farVenue', 'meeting'))
    t.same(rated.json().hits[0].rating, { average: 4.8, count: 12 })
    const newer = listing({ title: '新开放的会议室', publishedAt: new Date(Date.now() + 60_000).toISOString() })
    await publish(h.listingsDb, newer)
    await h.sync()
    t.equal(ids(await search(h.app, { sort: 'newest' }))[0], newer.id)
    await withdraw(h.listingsDb, newer, 2)
    await h.sync()
  })

  t.test('pages', async (t) => {
    const first = await search(h.app, { perPage: '2', sort: 'price_desc', kind: 'venue' })
    const second = await search(h.app, { perPage: '2', page: '2', sort: 'price_desc', kind: 'venue' })
    t.same(ids(first), idsOf('farVenue', 'hall'))
    t.same(ids(second), idsOf('meeting'))
    t.match(second.json(), { total: 3, page: 2, perPage: 2 })
  })

  t.test('bad input is 400 naming the field', async (t) => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ perPage: '51' }, 'querystring.perPage'],
      [{ kind: 'castle' }, 'querystring.kind'],
      [{ amenities: 'jacuzzi' }, 'querystring.amenities'],
      [{ near: '91,200' }, 'querystring.near'],
      [{ near: 'north' }, 'querystring.near'],
      [{ near: '31.2,121.4', radiusKm: '500' }, 'querystring.radiusKm'],
      [{ radiusKm: '5' }, 'querystring.near'],
      [{ sort: 'distance' }, 'querystring.near'],
      [{ sort: 'cheapest' }, 'querystring.sort'],
      [{ from: '2026-12-01T10:00:00+08:00' }, 'querystring.to'],
      [{ free: 'yes' }, 'querystring.free'],
      [{ capacityMin: '-3' }, 'querystring.capacityMin'],
    ]
    for (const [query, path] of cases) {
      const res = await search(h.app, query)
      t.equal(res.statusCode, 400, JSON.stringify(query))
      t.equal(res.json().code, 'validation_failed')
      t.ok(
        res.json().errors.some((e: { path: string }) => e.path.startsWith(path)),
        `${JSON.stringify(query)} names ${path}: ${JSON.stringify(res.json().errors)}`,
      )
    }
  })

  t.test('filter values cannot inject filter syntax', async (t) => {
    for (const district of [
      '浦东新区" OR kind = "expertise',
      '浦东新区\\" OR kind = "expertise',
      'x" OR district EXISTS OR district = "y',
    ]) {
      const res = await search(h.app, { district })
      t.equal(res.statusCode, 200, res.body)
      t.equal(res.json().total, 0, `district=${district} matches nothing`)
    }
    const tag = await search(h.app, { tags: '会议"] OR tags IN ["法律' })
    t.equal(tag.statusCode, 200)
    t.equal(tag.json().total, 0)
    const quoted = listing({
      title: '引号"测试\\室',
      location: { city: '上海', district: '区"名\\', address: '路', ...PEOPLE_SQUARE },
    })
    await publish(h.listingsDb, quoted)
    await h.sync()
    const exact = await search(h.app, { district: '区"名\\' })
    t.same(ids(exact), [quoted.id], 'quotes and backslashes in values are matched literally')
    const escaped = await search(h.app, { q: '引号' })
    t.equal(escaped.json().hits[0].highlightedTitle, '<mark>引号</mark>&quot;测试\\室', 'user text is HTML-escaped')
    await withdraw(h.listingsDb, quoted, 2)
    await h.sync()
  })

  t.test('an organization update changes the name and badge on its listings', async (t) => {
    const now = new Date().toISOString()
    await updateOrganization(h.listingsDb, {
      id: fixtures.hall.organizationId,
      name: '黄浦区妇联',
      kind: 'womens_federation',
      district: '黄浦区',
      city: '上海',
      description: '',
      verified: true,
      version: 3,
      createdAt: now,
      updatedAt: now,
    })
    await h.sync()
    const res = await search(h.app, { q: '黄浦区妇联' })
    t.same(ids(res), idsOf('hall'), 'the organization name is searchable')
    t.same(res.json().hits[0].organization, {
      id: fixtures.hall.organizationId,
      name: '黄浦区妇联',
      verified: true,
      badge: false,
    })
    // A listing snapshot carrying the old name (sent before the rename) does not bring it back.
    await publish(h.listingsDb, { ...fixtures.hall, version: 2 }, { name: '旧名字', verified: false })
    await h.sync()
    const again = await search(h.app, { q: '黄浦区妇联' })
    t.same(again.json().hits[0].organization.name, '黄浦区妇联')
  })
})
