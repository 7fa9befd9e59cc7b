import t from 'tap'
import { closeNeed, listing, need, openNeed, publish, search, testApp, withdraw } from './helpers.ts'

const ids = (res: { json(): { hits: Array<{ id: string }> } }) => res.json().hits.map((hit) => hit.id)

t.test('indexing from the listings feed', async (t) => {
  const h = await testApp(t)

  t.test('an older snapshot never overwrites a newer one', async (t) => {
    const v1 = listing({ title: '旧标题会议室' })
    const v2 = { ...v1, version: 2, title: '新标题活动室' }
    await publish(h.listingsDb, v2)
    await publish(h.listingsDb, v1)
    await h.sync()
    t.same(ids(await search(h.app, { q: '新标题' })), [v1.id])
    t.same(ids(await search(h.app, { q: '旧标题' })), [], 'the late v1 was ignored')
    // Repeated delivery of the same version changes nothing either.
    await publish(h.listingsDb, v2)
    await h.sync()
    t.equal((await search(h.app, { q: '新标题' })).json().total, 1)
  })

  t.test('withdrawal removes a listing, and an older snapshot replayed later does not bring it back', async (t) => {
    const l = listing({ title: '即将暂停的舞蹈排练厅' })
    await publish(h.listingsDb, l)
    await h.sync()
    t.same(ids(await search(h.app, { q: '舞蹈' })), [l.id])
    await withdraw(h.listingsDb, l, 2, 'paused')
    await h.sync()
    t.same(ids(await search(h.app, { q: '舞蹈' })), [])
    await publish(h.listingsDb, l)
    await h.sync()
    t.same(ids(await search(h.app, { q: '舞蹈' })), [], 'v1 replayed after the v2 withdrawal stays out')
    await publish(h.listingsDb, { ...l, version: 3, title: '恢复开放的舞蹈排练厅' })
    await h.sync()
    t.same(ids(await search(h.app, { q: '舞蹈' })), [l.id], 'resumed at v3, searchable again')
    await withdraw(h.listingsDb, l, 4, 'archived')
    await h.sync()
    t.same(ids(await search(h.app, { q: '舞蹈' })), [])
  })

  t.test('a withdrawal that arrives before the publication it follows wins', async (t) => {
    const l = listing({ title: '乱序到达的讲座' })
    await withdraw(h.listingsDb, l, 2)
    await publish(h.listingsDb, l)
    await h.sync()
    t.same(ids(await search(h.app, { q: '乱序' })), [])
  })

  t.test('needs: opened ones are indexed, closed ones removed', async (t) => {
    const n = need()
    await openNeed(h.listingsDb, n)
    await h.sync()
    const docs = await h.app.inject({ method: 'GET', url: '/v1/search?q=x' })
    t.equal(docs.statusCode, 200)
    const stats = async () => {
      const { Meilisearch } = await import('meilisearch')
      const client = new Meilisearch({ host: h.meili.url, apiKey: h.meili.key })
      return (await client.index(`${h.meili.prefix}needs`).getDocuments()).results.map((d) => d.id)
    }
    t.same(await stats(), [n.id])
    await closeNeed(h.listingsDb, n, 2)
    await openNeed(h.listingsDb, n)
    await h.sync()
    t.same(await stats(), [], 'closed at v2; the replayed v1 opening is ignored')
  })

  t.test('metrics report feed_lag_seconds per consumer', async (t) => {
    const res = await h.app.inject({ method: 'GET', url: '/metrics' })
    t.match(res.body, /feed_lag_seconds\{[^}]*consumer="discovery.listings"/)
    t.match(res.body, /feed_lag_seconds\{[^}]*consumer="discovery.bookings"/)
  })
})
