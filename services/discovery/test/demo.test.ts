import { sql } from 'kysely'
import t from 'tap'
import { demoDiscovery } from './demo-app.ts'
import { search } from './helpers.ts'

t.test('the demo marketplace, fed by the real listings service, answers Chinese queries', async (t) => {
  const { app, listingsDb, summary } = await demoDiscovery(t)
  t.ok(summary.listings.published > 20, `${summary.listings.published} published demo listings`)

  const all = await search(app, { perPage: '1' })
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from listings where status = 'published'`.execute(
    listingsDb,
  )
  t.equal(all.json().total, rows[0]!.n, 'exactly the published listings are indexed')

  const rooms = await search(app, { q: '会议室' })
  t.equal(rooms.statusCode, 200)
  t.ok(rooms.json().total > 0)
  t.match(rooms.json().hits[0].title, /会议室/, `top hit: ${rooms.json().hits[0].title}`)

  const law = await search(app, { q: '法律咨询' })
  t.ok(law.json().total > 0)
  t.match(law.json().hits[0].title, /法律咨询/, `top hit: ${law.json().hits[0].title}`)
  t.ok(
    law
      .json()
      .hits.slice(0, 3)
      .every((h: { title: string; tags: string[] }) => /法律/.test(h.title + h.tags.join())),
    'the first hits are all legal advice',
  )

  // The demo provider's hall fits a demo need, so 适合我的资源 is not empty for a newcomer.
  const hall = await sql<{ id: string }>`select id from listings where title = '陆家嘴党群中心多功能厅'`.execute(
    listingsDb,
  )
  const fits = await app.inject({ method: 'GET', url: `/v1/matches/listings/${hall.rows[0]!.id}` })
  t.equal(fits.statusCode, 200)
  t.ok(
    fits.json().items.some((n: { title: string }) => n.title === '楼宇党建联建活动需要 80 人的大厅'),
    'the hall of 陆家嘴街道党群服务中心 fits a demo need',
  )
})
