import type { FeedPage } from '@commons/contracts'
import { BaseConfig, buildService, parseConfig } from '@commons/service-kit'
import { type Kysely, sql } from 'kysely'
import t from 'tap'
import { appendEvent, type KitTables, readFeed, registerFeedRoute } from '../src/index.ts'
import { feedDatabases } from './fixtures/databases.ts'
import { produce, testEvent } from './fixtures/feed-fixture.ts'

const SERVICE_TOKEN = 'service-token-for-feed-tests'

const entityVersions = (page: { events: Array<{ entityId: string; version: number }> }) =>
  page.events.map((e) => `${e.entityId}@${e.version}`)

// Compile-time check, never called: a plain Kysely is refused, so an event always commits with its change.
export function appendOutsideTransaction(db: Kysely<KitTables>) {
  // @ts-expect-error appendEvent takes a Transaction
  return appendEvent(db, testEvent('x', 1))
}

t.test('appended events are read back in order with their cursor, type, version and payload', async (t) => {
  const { producer } = await feedDatabases(t)
  t.same(await readFeed(producer, { limit: 10 }), { events: [], next: null }, 'an empty feed has no cursor')

  await produce(producer, 3, { entities: 3 })
  const page = await readFeed(producer, { limit: 10 })
  t.same(entityVersions(page), ['e0@1', 'e1@1', 'e2@1'])
  t.match(page.events[0], { type: 'thing.changed', entityId: 'e0', version: 1, payload: { value: 'e0@1' } })
  t.ok(Date.parse(page.events[0]!.occurredAt) > Date.now() - 60_000, 'occurredAt is the append time')
  t.equal(page.next, page.events[2]!.cursor, 'next is the cursor of the last event')
})

t.test('a reader pages through the feed with limit and next, and next stays put at the end', async (t) => {
  const { producer } = await feedDatabases(t)
  await produce(producer, 5, { entities: 5 })
  const seen: string[] = []
  let after: string | null = null
  const sizes: number[] = []
  for (let i = 0; i < 4; i++) {
    const page: FeedPage = await readFeed(producer, { after, limit: 2 })
    sizes.push(page.events.length)
    seen.push(...entityVersions(page))
    if (page.events.length === 0) t.equal(page.next, after, 'nothing new: next is the cursor passed in')
    after = page.next
  }
  t.same(sizes, [2, 2, 1, 0])
  t.same(seen, ['e0@1', 'e1@1', 'e2@1', 'e3@1', 'e4@1'])
})

t.test('an event whose transaction commits late is delivered, not skipped behind the cursor', async (t) => {
  const { producer } = await feedDatabases(t)
  await producer.transaction().execute((trx) => appendEvent(trx, testEvent('before', 1)))

  const slow = await producer.startTransaction().execute()
  await appendEvent(slow, testEvent('a', 1))
  // B gets the higher id and commits first.
  await producer.transaction().execute((trx) => appendEvent(trx, testEvent('b', 1)))

  const whileOpen = await readFeed(producer, { limit: 10 })
  t.same(entityVersions(whileOpen), ['before@1'], 'nothing at or after the open transaction is delivered')

  await slow.commit().execute()
  const afterCommit = await readFeed(producer, { after: whileOpen.next, limit: 10 })
  t.same(entityVersions(afterCommit), ['a@1', 'b@1'], 'both arrive, in commit-safe order')
  t.same(entityVersions(await readFeed(producer, { after: afterCommit.next, limit: 10 })), [])
})

t.test("a rolled-back transaction's event never appears and does not hold the feed", async (t) => {
  const { producer } = await feedDatabases(t)
  const aborted = await producer.startTransaction().execute()
  await appendEvent(aborted, testEvent('ghost', 1))
  await producer.transaction().execute((trx) => appendEvent(trx, testEvent('real', 1)))
  t.same(entityVersions(await readFeed(producer, { limit: 10 })), [], 'held while the transaction is open')

  await aborted.rollback().execute()
  const page = await readFeed(producer, { limit: 10 })
  t.same(entityVersions(page), ['real@1'], 'the later event flows once the transaction is gone')
})

t.test('the feed route', async (t) => {
  const { producer } = await feedDatabases(t)
  await produce(producer, 3, { entities: 3 })
  const app = await buildService({ name: 'feed-test', config: parseConfig(BaseConfig, { LOG_LEVEL: 'silent' }) })
  registerFeedRoute(app, { db: producer, serviceToken: SERVICE_TOKEN })
  t.teardown(() => app.close())
  const auth = { authorization: `Bearer ${SERVICE_TOKEN}` }

  t.test('refuses a request without the service token', async (t) => {
    const res = await app.inject({ url: '/v1/events' })
    t.equal(res.statusCode, 401)
    t.equal(res.json().code, 'invalid_service_token')
  })

  t.test('refuses a wrong service token, before looking at the query', async (t) => {
    const res = await app.inject({
      url: '/v1/events?after=garbage',
      headers: { authorization: 'Bearer not-the-service-token' },
    })
    t.equal(res.statusCode, 401)
    t.equal(res.json().code, 'invalid_service_token')
  })

  t.test('serves pages to the service token', async (t) => {
    const first = await app.inject({ url: '/v1/events?limit=2', headers: auth })
    t.equal(first.statusCode, 200)
    t.same(entityVersions(first.json()), ['e0@1', 'e1@1'])
    const rest = await app.inject({
      url: `/v1/events?after=${encodeURIComponent(first.json().next)}`,
      headers: auth,
    })
    t.same(entityVersions(rest.json()), ['e2@1'])
  })

  t.test('answers a malformed cursor with the 400 problem invalid_cursor', async (t) => {
    for (const after of ['garbage', '12', '1:2:3', '-1:2', '99999999999999999999:1']) {
      const res = await app.inject({ url: `/v1/events?after=${encodeURIComponent(after)}`, headers: auth })
      t.equal(res.statusCode, 400, after)
      t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
      t.equal(res.json().code, 'invalid_cursor', after)
    }
  })

  t.test('is not part of the public API document', async (t) => {
    const doc = (await app.inject({ url: '/openapi.json' })).json()
    t.equal(doc.openapi, '3.1.0')
    t.notOk(doc.paths?.['/v1/events'])
  })
})

t.test('paging with limit 1 delivers every event when transaction order and id order differ', async (t) => {
  const { producer } = await feedDatabases(t)
  // A takes its transaction id first but appends last: its event sorts first by transaction, yet has the
  // higher id. A cursor comparing ids alone would skip B's event after reading A's.
  const a = await producer.startTransaction().execute()
  await sql`select pg_current_xact_id()`.execute(a)
  await producer.transaction().execute((trx) => appendEvent(trx, testEvent('b', 1)))
  await appendEvent(a, testEvent('a', 1))
  await a.commit().execute()
  await producer.transaction().execute((trx) => appendEvent(trx, testEvent('c', 1)))

  const all = await producer.selectFrom('events').select(['id', 'entityId']).orderBy('id').execute()
  t.same(
    all.map((row) => row.entityId),
    ['b', 'a', 'c'],
    'ids follow append order, not transaction order',
  )
  const seen: string[] = []
  let after: string | null = null
  for (let i = 0; i < 5; i++) {
    const page: FeedPage = await readFeed(producer, { after, limit: 1 })
    seen.push(...entityVersions(page))
    after = page.next
  }
  t.same(seen, ['a@1', 'b@1', 'c@1'], 'each event once, in transaction order')
})
