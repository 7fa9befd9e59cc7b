import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { freePort, startMeilisearch } from '@commons/infra'
import t from 'tap'
import { listing, publish, search, testApp } from './helpers.ts'

t.test('Meilisearch down: 503 search_unavailable quickly, and nothing is lost once it is back', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'discovery-outage-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const port = await freePort()
  let server = await startMeilisearch({ dataDir: dir, port })
  t.teardown(() => server.stop())
  const h = await testApp(t, { MEILI_URL: server.url, MEILI_MASTER_KEY: server.masterKey, MEILI_TIMEOUT_MS: '1000' })

  const before = listing({ title: '停电前的会议室' })
  await publish(h.listingsDb, before)
  await h.sync()
  t.equal((await search(h.app, { q: '会议室' })).json().total, 1)

  await server.stop()
  const started = Date.now()
  for (const url of ['/v1/search?q=会议室', '/v1/suggest?q=会议']) {
    const res = await h.app.inject({ method: 'GET', url: encodeURI(url) })
    t.equal(res.statusCode, 503, url)
    t.equal(res.json().code, 'search_unavailable')
    t.match(res.headers['content-type'], /^application\/problem\+json/)
  }
  t.ok(Date.now() - started < 5000, 'answered without hanging')
  const ready = await h.app.inject({ method: 'GET', url: '/ready' })
  t.equal(ready.statusCode, 503)
  t.equal(ready.json().checks.meilisearch, 'failing')

  // Published while Meilisearch is down: the consumer keeps retrying the batch.
  const during = listing({ title: '停电时发布的会议室' })
  await publish(h.listingsDb, during)
  await new Promise((resolve) => setTimeout(resolve, 500))
  const errors = await h.app.inject({ method: 'GET', url: '/metrics' })
  t.match(
    errors.body,
    /feed_errors_total\{[^}]*consumer="discovery.listings"[^}]*\} [1-9]/,
    'failed batches are counted',
  )

  server = await startMeilisearch({ dataDir: dir, port })
  await h.sync()
  const res = await search(h.app, { q: '会议室' })
  t.equal(res.statusCode, 200)
  t.same(
    res
      .json()
      .hits.map((hit: { id: string }) => hit.id)
      .sort(),
    [before.id, during.id].sort(),
  )
})

t.test('a Meilisearch that never answers times out into 503, not a hang', async (t) => {
  const net = await import('node:net')
  // Accepts connections and never responds.
  const sockets: import('node:net').Socket[] = []
  const silent = net.createServer((socket) => sockets.push(socket))
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    for (const s of sockets) s.destroy()
    silent.close()
  })
  const { port } = silent.address() as import('node:net').AddressInfo
  const h = await testApp(t, { MEILI_URL: `http://127.0.0.1:${port}`, MEILI_TIMEOUT_MS: '300', RUN_WORKERS: 'false' })
  const started = Date.now()
  const res = await search(h.app, { q: '会议室' })
  t.equal(res.statusCode, 503)
  t.equal(res.json().code, 'search_unavailable')
  t.ok(Date.now() - started < 2000, `answered in ${Date.now() - started} ms`)
})
