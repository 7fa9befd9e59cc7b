import { newId } from '@commons/db'
import t from 'tap'
import { listing, publish, search, testApp } from './helpers.ts'

type Hit = {
  id: string
  title: string
  district: string
  location?: { lat: number; lng: number }
  coverPhoto?: string
}
const titles = (res: { json(): { hits: Hit[] } }) => res.json().hits.map((h) => h.title)

t.test('search forgives how people type', async (t) => {
  const h = await testApp(t)
  const org = newId()
  const fixtures = {
    meeting: listing({
      organizationId: org,
      title: '陆家嘴社区会议室',
      description: '二十人会议室，投影白板齐全',
      tags: ['会议'],
      photos: [
        { id: 'a'.repeat(32), alt: '会议室' },
        { id: 'b'.repeat(32), alt: '' },
      ],
    }),
    activity: listing({
      title: '湖贝社区活动室',
      description: '兴趣小组和志愿者例会',
      tags: ['社区活动'],
      location: { city: '深圳', district: '罗湖区', address: '东门中路1号', lat: 22.548, lng: 114.12 },
    }),
    reading: listing({
      title: '职工读书会',
      description: '每月一次的读书会，欢迎职工参加',
      tags: ['阅读'],
    }),
    concert: listing({
      title: '周末音乐会',
      description: '社区乐团的室内音乐会',
      tags: ['文艺'],
    }),
    labor: listing({
      kind: 'expertise',
      organizationId: org,
      title: '劳动法律咨询',
      description: '工会法律顾问解答劳动合同、工资和工伤问题',
      tags: ['法律咨询', '劳动权益'],
      topics: ['劳动合同'],
      formats: ['consultation'],
      delivery: 'online',
      location: { city: '上海', district: '徐汇区' },
    }),
    history: listing({
      kind: 'expertise',
      title: '党史学习宣讲',
      description: '宣讲团到现场讲述党史故事',
      tags: ['党史'],
      topics: ['党史'],
      formats: ['talk'],
      delivery: 'onsite',
      location: { city: '上海', district: '黄浦区', address: '南京东路2号' },
    }),
  }
  for (const l of Object.values(fixtures)) await publish(h.listingsDb, l)
  await h.sync()

  t.test('pinyin and its initials find Chinese titles', async (t) => {
    t.same(titles(await search(h.app, { q: 'huiyishi' })), ['陆家嘴社区会议室'])
    t.same(titles(await search(h.app, { q: 'hys' })), ['陆家嘴社区会议室'])
    t.same(titles(await search(h.app, { q: 'huodongshi' })), ['湖贝社区活动室'])
    t.same(
      titles(await search(h.app, { q: 'dangshi jiangzuo' })),
      ['党史学习宣讲'],
      '讲座 and 宣讲 are synonyms in pinyin too',
    )
    t.same(titles(await search(h.app, { q: '陆家嘴 huiyishi' })), ['陆家嘴社区会议室'], 'mixed Chinese and pinyin')
  })

  t.test('a homophone typo finds the right word and says so', async (t) => {
    const res = await search(h.app, { q: '活东室' })
    t.equal(res.statusCode, 200)
    t.same(titles(res), ['湖贝社区活动室'])
    t.equal(res.json().didYouMean, '活动室')
    const right = await search(h.app, { q: '活动室' })
    t.same(titles(right), ['湖贝社区活动室'])
    t.notOk('didYouMean' in right.json(), 'no correction for a right word')
  })

  t.test('traditional script ranks like simplified and one shared character does not flood the results', async (t) => {
    const traditional = await search(h.app, { q: '會議室' })
    const simplified = await search(h.app, { q: '会议室' })
    t.same(titles(traditional), ['陆家嘴社区会议室'], '读书会 and 音乐会 share only 会')
    t.same(titles(traditional), titles(simplified))
  })

  t.test('colloquial words and phrases find what listings call otherwise', async (t) => {
    t.same(titles(await search(h.app, { q: '讨薪' })), ['劳动法律咨询'])
    t.same(titles(await search(h.app, { q: '开会的地方' })), ['陆家嘴社区会议室'])
    t.same(titles(await search(h.app, { q: '我想找活动室' })), ['湖贝社区活动室'])
  })

  t.test('an empty result offers searches and popular listings of the city', async (t) => {
    const res = await search(h.app, { q: '潜水培训', city: '上海' })
    t.equal(res.statusCode, 200)
    const body = res.json()
    t.equal(body.total, 0)
    t.ok(body.popular.length > 0, 'popular listings are offered')
    t.ok(
      body.popular.every((p: { city: string }) => p.city === '上海'),
      'all of the city asked for',
    )
    t.ok(body.suggestions.length > 0, 'searches are suggested')
    const found = await search(h.app, { q: '会议室' })
    t.notOk('popular' in found.json(), 'nothing extra when something matched')
  })

  t.test('hits carry coordinates, district and cover photo; organizationId lists one organization', async (t) => {
    const [meeting] = (await search(h.app, { q: '会议室' })).json().hits as Hit[]
    t.same(meeting!.location, { lat: 31.2304, lng: 121.4737 })
    t.equal(meeting!.district, '浦东新区')
    t.equal(meeting!.coverPhoto, `/v1/photos/${'a'.repeat(32)}/card.webp`, 'the card variant of the first photo')
    const [labor] = (await search(h.app, { q: '劳动法律咨询' })).json().hits as Hit[]
    t.notOk('location' in labor!, 'no coordinates when the listing has none')
    t.notOk('coverPhoto' in labor!, 'no cover photo without photos')
    const own = await search(h.app, { organizationId: org })
    t.same(titles(own).sort(), ['劳动法律咨询', '陆家嘴社区会议室'].sort())
  })

  t.test('suggest completes pinyin as it is typed', async (t) => {
    const res = await h.app.inject({ method: 'GET', url: `/v1/suggest?q=${encodeURIComponent('huiyis')}` })
    t.equal(res.statusCode, 200)
    t.same(
      res.json().listings.map((l: { title: string }) => l.title),
      ['陆家嘴社区会议室'],
    )
  })
})
