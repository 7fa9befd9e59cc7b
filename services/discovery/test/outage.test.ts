import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { freePort, startMeilisearch } from '@commons/infra'
import { testMeili } from '@commons/testkit'
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

t.test('a Meilisearch slow to take a batch holds back no feed in the database', async (t) => {
  const http = await import('node:http')
  const { readFeed } = await import('@commons/db')
  const pg = (await import('pg')).default
  const meili = await testMeili(t)
  const target = new URL(meili.url)
  // In front of the real Meilisearch: every request passes, except document writes while `holding` is on,
  // which wait in `held` until released (a Meilisearch busy with a long indexing batch answers that late).
  let holding = true
  const held: Array<() => void> = []
  const forward = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, body: Buffer) => {
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    upstream.on('error', () => res.writeHead(502).end())
    upstream.end(body)
  }
  const proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      if (holding && req.method !== 'GET' && /\/documents/.test(req.url ?? '')) held.push(() => forward(req, res, body))
      else forward(req, res, body)
    })
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    proxy.closeAllConnections()
    proxy.close()
  })
  const { port } = proxy.address() as import('node:net').AddressInfo
  const h = await testApp(t, { MEILI_URL: `http://127.0.0.1:${port}`, MEILI_MASTER_KEY: meili.key })
  const client = new pg.Client({ connectionString: h.databaseUrl })
  await client.connect()
  t.teardown(() => client.end())

  const first = listing({ title: '慢索引时发布的会议室' })
  await publish(h.listingsDb, first)
  const { next: afterFirst } = await readFeed(h.listingsDb, { after: null, limit: 100 })
  for (const deadline = Date.now() + 30_000; held.length === 0; ) {
    if (Date.now() > deadline) throw new Error('discovery never sent the batch to Meilisearch')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }

  // While discovery waits on Meilisearch, none of its sessions holds a transaction id: one that did would
  // keep every feed of the cluster from handing out newer events (packages/db feed.ts).
  const { rows } = await client.query<{ n: number }>(
    `select count(*)::int as n from pg_stat_activity
      where datname = current_database() and backend_xid is not null and pid <> pg_backend_pid()`,
  )
  t.equal(rows[0]!.n, 0, 'no transaction id held across the call to Meilisearch')
  const second = listing({ title: '随后发布的活动室' })
  await publish(h.listingsDb, second)
  const page = await readFeed(h.listingsDb, { after: afterFirst, limit: 100 })
  t.same(
    page.events.map((e) => e.entityId),
    [second.id],
    'an event appended meanwhile is handed out at once',
  )

  holding = false
  for (const release of held.splice(0)) release()
  await h.sync()
  const hits = (await search(h.app)).json().hits.map((hit: { id: string }) => hit.id)
  t.same(hits.sort(), [first.id, second.id].sort(), 'both were indexed once Meilisearch took the held batch')
})
