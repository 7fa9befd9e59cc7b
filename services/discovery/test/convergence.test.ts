import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import type { Listing } from '@commons/contracts'
import { createDb, readFeed } from '@commons/db'
import { Meilisearch } from 'meilisearch'
import t from 'tap'
import type { DB } from '../src/db/schema.ts'
import { listing, publish, testApp, withdraw } from './helpers.ts'

const ENTRY = fileURLToPath(new URL('./fixtures/consumer-process.ts', import.meta.url))

function spawnDiscovery(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', '--conditions=development', ENTRY], {
    env: { ...process.env, ...env, FEED_BATCH_SIZE: '10', FEED_POLL_INTERVAL_MS: '20' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
}

/** Publishes, republishes and withdraws listings; returns what the index must end up holding. */
async function produce(db: Parameters<typeof publish>[0], listings: Listing[], round: number) {
  for (const [i, l] of listings.entries()) {
    const version = round * 3
    await publish(db, { ...l, version: version + 1, title: `第${round}轮 会议室 ${i}` })
    await publish(db, { ...l, version: version + 2, title: `第${round}轮 修改后的会议室 ${i}` })
    if (i % 4 === 0) await withdraw(db, l, version + 3)
  }
}

t.test('killed with SIGKILL mid-stream and restarted, the index converges to exactly the published set', async (t) => {
  // RUN_WORKERS off: this process only provides the database and index prefix; children consume.
  const h = await testApp(t, { RUN_WORKERS: 'false' })
  const env = { ...h.env, RUN_WORKERS: 'true' }
  const listings = Array.from({ length: 40 }, () => listing())
  await produce(h.listingsDb, listings, 0)

  const first = spawnDiscovery(env)
  t.teardown(() => {
    first.kill('SIGKILL')
  })
  const db = createDb<DB>({ url: h.databaseUrl, schema: 'discovery', poolMax: 1 })
  t.teardown(() => db.destroy())
  // Kill once a few batches are in, well before the ~110 events are.
  for (;;) {
    const cursor = await db
      .selectFrom('feedCursors')
      .select('position')
      .where('consumer', '=', 'discovery.listings')
      .executeTakeFirst()
    if (cursor) break
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  first.kill('SIGKILL')
  await once(first, 'exit')
  const events = (await readFeed(h.listingsDb, { limit: 1000 })).events
  const cursor = await db.selectFrom('feedCursors').select('position').executeTakeFirstOrThrow()
  t.not(cursor.position, events.at(-1)!.cursor, 'killed before the end of the feed')

  // More changes while it is down, then restart.
  await produce(h.listingsDb, listings.slice(0, 20), 1)
  const second = spawnDiscovery(env)
  t.teardown(() => {
    second.kill('SIGKILL')
  })
  const [code] = await once(second, 'exit')
  t.equal(code, 0, 'the restarted service caught up')

  // Expected from the source events: the last event per listing decides.
  const all = (await readFeed(h.listingsDb, { limit: 10_000 })).events
  const last = new Map<string, { version: number; published: boolean }>()
  for (const e of all) {
    const prev = last.get(e.entityId)
    if (!prev || prev.version < e.version)
      last.set(e.entityId, { version: e.version, published: e.type === 'listing.published' })
  }
  const expected = [...last]
    .filter(([, s]) => s.published)
    .map(([id, s]) => ({ id, version: s.version }))
    .sort((a, b) => a.id.localeCompare(b.id))
  const client = new Meilisearch({ host: h.meili.url, apiKey: h.meili.key })
  const docs = await client.index(`${h.meili.prefix}listings`).getDocuments({ fields: ['id', 'version'], limit: 1000 })
  const actual = docs.results
    .map((d) => ({ id: d.id as string, version: d.version as number }))
    .sort((a, b) => a.id.localeCompare(b.id))
  t.ok(expected.length > 20 && expected.length < 40, `some listings withdrawn (${expected.length} published)`)
  t.same(actual, expected, 'ids and versions equal the listings feed')
})
