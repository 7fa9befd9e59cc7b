import { appendEvent, newId } from '@commons/db'
import { Meilisearch } from 'meilisearch'
import t from 'tap'
import { LISTING_SETTINGS } from '../src/search/meili.ts'
import { bearer, listing, organization, publish, search, testApp, withdraw } from './helpers.ts'

t.test('reindex rebuilds into a new index and swaps it in while searches keep working', async (t) => {
  const h = await testApp(t)
  const N = 1500
  const listings = Array.from({ length: N }, (_, i) => listing({ title: `重建测试会议室${i}` }))
  await h.listingsDb.transaction().execute(async (trx) => {
    for (const l of listings) {
      await appendEvent(trx, {
        type: 'listing.published',
        entityId: l.id,
        version: 1,
        payload: { listing: l, organization: organization({ id: l.organizationId }) },
      })
    }
  })
  await h.sync()
  const moderator = bearer(await h.signer.token({ sub: newId(), mod: true }))
  const member = bearer(await h.signer.token({ sub: newId() }))

  t.test('only moderators', async (t) => {
    t.equal((await h.app.inject({ method: 'POST', url: '/v1/admin/reindex' })).statusCode, 401)
    t.equal((await h.app.inject({ method: 'POST', url: '/v1/admin/reindex', headers: member })).statusCode, 403)
    t.equal((await h.app.inject({ method: 'GET', url: '/v1/admin/index-status', headers: member })).statusCode, 403)
  })

  t.test('swap without downtime, changes during the rebuild included', async (t) => {
    const started = await h.app.inject({ method: 'POST', url: '/v1/admin/reindex', headers: moderator })
    t.equal(started.statusCode, 202, started.body)
    t.equal(started.json().state, 'running')
    const again = await h.app.inject({ method: 'POST', url: '/v1/admin/reindex', headers: moderator })
    t.equal(again.statusCode, 409)
    t.equal(again.json().code, 'reindex_in_progress')

    // Changes while the rebuild runs: one new listing, one withdrawn.
    const added = listing({ title: '重建期间新发布的会议室' })
    await publish(h.listingsDb, added)
    await withdraw(h.listingsDb, listings[0]!, 2)

    let searches = 0
    const failures: string[] = []
    for (;;) {
      const res = await search(h.app, { q: '会议室', perPage: '1' })
      searches++
      if (res.statusCode !== 200 || res.json().total < N - 1)
        failures.push(`${res.statusCode} ${res.body.slice(0, 200)}`)
      const status = await h.app.inject({ method: 'GET', url: '/v1/admin/index-status', headers: moderator })
      if (status.json().reindex.state !== 'running') break
    }
    t.same(failures, [], `${searches} searches during the rebuild all answered in full`)
    await h.sync()
    const status = (await h.app.inject({ method: 'GET', url: '/v1/admin/index-status', headers: moderator })).json()
    t.equal(status.reindex.state, 'idle', JSON.stringify(status.reindex))
    t.equal(status.reindex.error, null)
    t.equal(status.indexes[0].name, 'listings')
    t.equal(status.indexes[0].documents, N)
    t.equal(status.consumers.length, 3, 'listings, bookings and community')
    t.ok(status.consumers[0].cursor)

    const total = (await search(h.app, { q: '会议室', perPage: '1' })).json().total
    t.equal(total, N, 'N - 1 + 1')
    t.equal((await search(h.app, { q: '重建期间新发布' })).json().hits[0]?.id, added.id)
    const client = new Meilisearch({ host: h.meili.url, apiKey: h.meili.key })
    await t.rejects(client.index(`${h.meili.prefix}listings`).getDocument(listings[0]!.id), 'withdrawn stays out')
    // The reindex is idle once every swap is done; the rebuilt-away copies are deleted by Meilisearch tasks
    // that may still be in its queue, so wait for the listing of indexes to settle (bounded).
    const live = [`${h.meili.prefix}activities`, `${h.meili.prefix}listings`, `${h.meili.prefix}needs`]
    const ours = async () =>
      (await client.getRawIndexes({ limit: 1000 })).results
        .map((i) => i.uid)
        .filter((u) => u.startsWith(h.meili.prefix))
        .sort()
    let uids = await ours()
    for (const deadline = Date.now() + 30_000; uids.length !== live.length && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      uids = await ours()
    }
    t.same(uids, live, 'the old index was deleted; the live ones remain')
    const settings = await client.index(`${h.meili.prefix}listings`).getSettings()
    t.same(settings.searchableAttributes, LISTING_SETTINGS.searchableAttributes, 'the listing settings were applied')
  })
})
