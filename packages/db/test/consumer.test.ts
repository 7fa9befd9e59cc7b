import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FeedEvent } from '@commons/contracts'
import { BaseConfig, buildService, parseConfig } from '@commons/service-kit'
import type { Kysely } from 'kysely'
import { Registry } from 'prom-client'
import t, { type Test } from 'tap'
import {
  type ConsumerHandle,
  type ConsumerOptions,
  createDb,
  type FeedReader,
  type KitTables,
  readFeed,
  registerFeedRoute,
  startConsumer,
} from '../src/index.ts'
import { feedDatabases } from './fixtures/databases.ts'
import { actualState, applyEvent, type ConsumerTables, expectedState, produce } from './fixtures/feed-fixture.ts'

const metricValue = async (registry: Registry, name: string, consumer: string) => {
  const metric = await registry.getSingleMetric(name)?.get()
  return metric?.values.find((v) => v.labels.consumer === consumer)?.value
}

const inProcess =
  (db: Kysely<KitTables>): FeedReader =>
  (after, limit) =>
    readFeed(db, { after, limit })

const storedCursor = async (db: Kysely<ConsumerTables>, name: string) =>
  (await db.selectFrom('feedCursors').select('position').where('consumer', '=', name).executeTakeFirst())?.position

const lastCursor = async (db: Kysely<KitTables>) => (await readFeed(db, { limit: 1000 })).next

function start(t: Test, opts: ConsumerOptions<ConsumerTables>): ConsumerHandle {
  const consumer = startConsumer({ pollIntervalMs: 20, ...opts })
  t.teardown(() => consumer.stop())
  return consumer
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(10)
  }
}

t.test('a consumer applies every event once, in its own transaction, and reads on from its cursor', async (t) => {
  const { producer, consumer: db } = await feedDatabases(t)
  const registry = new Registry()
  await produce(producer, 25)
  const consumer = start(t, {
    db,
    name: 'test.things',
    source: inProcess(producer),
    batchSize: 10,
    registry,
    handle: applyEvent,
  })
  await consumer.drain()
  t.same(await actualState(db), expectedState(25))
  t.equal(await storedCursor(db, 'test.things'), await lastCursor(producer), 'the cursor is at the end of the feed')
  t.equal(await metricValue(registry, 'feed_events_applied_total', 'test.things'), 25)
  t.equal(consumer.lag(), 0, 'no lag once caught up')
  t.equal(await metricValue(registry, 'feed_lag_seconds', 'test.things'), 0)

  await produce(producer, 35, { from: 25 })
  await consumer.drain()
  t.same(await actualState(db), expectedState(35), 'later events arrive; earlier ones are not applied again')
})

t.test('two replicas with the same name never apply a batch twice', async (t) => {
  const { url, producer, consumer: db } = await feedDatabases(t)
  await produce(producer, 60)
  const replicas = [db, createDb<ConsumerTables>({ url, schema: 'consumer', poolMax: 2 })]
  t.teardown(() => replicas[1]!.destroy())
  const appliedBy = [0, 0]
  const consumers = replicas.map((replicaDb, i) =>
    start(t, {
      db: replicaDb,
      name: 'test.things',
      source: inProcess(producer),
      batchSize: 5,
      pollIntervalMs: 5,
      handle: async (trx, event) => {
        appliedBy[i]! += 1
        await sleep(2)
        await applyEvent(trx, event)
      },
    }),
  )
  await Promise.all(consumers.map((c) => c.drain()))
  t.same(await actualState(db), expectedState(60), 'every event applied exactly once')
  t.equal(appliedBy[0]! + appliedBy[1]!, 60, 'no handler call was wasted on a batch the other replica had')
})

t.test('an unreachable feed is retried with growing pauses, counted, and nothing is lost', async (t) => {
  const { producer, consumer: db } = await feedDatabases(t)
  await produce(producer, 12)
  const registry = new Registry()
  let calls = 0
  const flaky: FeedReader = async (after, limit) => {
    calls += 1
    if (calls <= 2) throw new Error('connect ECONNREFUSED')
    return readFeed(producer, { after, limit })
  }
  const started = Date.now()
  const consumer = start(t, {
    db,
    name: 'test.flaky',
    source: flaky,
    registry,
    retry: { minMs: 100, maxMs: 5000 },
    handle: applyEvent,
  })
  await consumer.drain()
  // Equal jitter: at least 50 ms after the first failure and 100 ms after the second.
  t.ok(Date.now() - started >= 150, 'the consumer backed off between attempts')
  t.equal(await metricValue(registry, 'feed_errors_total', 'test.flaky'), 2)
  t.equal(await metricValue(registry, 'feed_events_applied_total', 'test.flaky'), 12)
  t.same(await actualState(db), expectedState(12))
})

t.test('a failing handler rolls back its whole batch; the cursor never passes the failing event', async (t) => {
  const { producer, consumer: db } = await feedDatabases(t)
  await produce(producer, 10)
  const registry = new Registry()
  let broken = true
  const consumer = start(t, {
    db,
    name: 'test.broken',
    source: inProcess(producer),
    registry,
    retry: { minMs: 20, maxMs: 40 },
    handle: async (trx, event) => {
      await applyEvent(trx, event)
      if (broken && event.entityId === 'e7') throw new Error('handler bug')
    },
  })
  await until(async () => ((await metricValue(registry, 'feed_errors_total', 'test.broken')) ?? 0) >= 2, 'failures')
  t.equal(await storedCursor(db, 'test.broken'), undefined, 'no cursor stored while the batch fails')
  t.same((await actualState(db)).applications, [], 'the events before the failing one were rolled back')
  t.ok(consumer.lag() > 0, 'lag grows while the consumer is stuck')

  broken = false
  await consumer.drain()
  t.same(await actualState(db), expectedState(10), 'each event applied once in effect after the fix')
  t.equal(consumer.lag(), 0)
})

t.test('handleBatch stores the cursor only after the external effect succeeded', async (t) => {
  const { producer, consumer: db } = await feedDatabases(t)
  await produce(producer, 6)
  const attempts: string[][] = []
  const consumer = start(t, {
    db,
    name: 'test.index',
    source: inProcess(producer),
    retry: { minMs: 20, maxMs: 40 },
    handleBatch: async (events: FeedEvent[]) => {
      attempts.push(events.map((e) => `${e.entityId}@${e.version}`))
      if (attempts.length === 1) throw new Error('index task failed')
    },
  })
  await consumer.drain()
  const all = ['e0@1', 'e1@1', 'e2@1', 'e3@1', 'e4@1', 'e5@1']
  t.same(attempts, [all, all], 'the failed batch was delivered again, from the same cursor')
  t.equal(await storedCursor(db, 'test.index'), await lastCursor(producer))
})

t.test("reads another service's feed over HTTP with the service token", async (t) => {
  const { producer, consumer: db } = await feedDatabases(t)
  await produce(producer, 15)
  const app = await buildService({ name: 'producer', config: parseConfig(BaseConfig, { LOG_LEVEL: 'silent' }) })
  registerFeedRoute(app, { db: producer, serviceToken: 'the-service-token' })
  await app.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => app.close())
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  const registry = new Registry()

  const refused = start(t, {
    db,
    name: 'test.refused',
    source: { url, token: 'wrong-token' },
    registry,
    retry: { minMs: 20, maxMs: 40 },
    handle: applyEvent,
  })
  await until(async () => ((await metricValue(registry, 'feed_errors_total', 'test.refused')) ?? 0) >= 1, 'a 401')
  await refused.stop()
  t.same((await actualState(db)).applications, [], 'a refused read applies nothing')

  const consumer = start(t, {
    db,
    name: 'test.http',
    source: { url: `${url}/`, token: 'the-service-token' },
    batchSize: 4,
    registry,
    handle: applyEvent,
  })
  await consumer.drain()
  t.same(await actualState(db), expectedState(15))
  t.equal(await metricValue(registry, 'feed_errors_total', 'test.http'), 0)
})

t.test('stop() returns promptly from an idle pause and ends pending drains', async (t) => {
  const { producer, consumer: db } = await feedDatabases(t)
  const consumer = startConsumer({
    db,
    name: 'test.idle',
    source: inProcess(producer),
    pollIntervalMs: 60_000,
    handle: applyEvent,
  })
  await consumer.drain()
  const stopping = Date.now()
  await consumer.stop()
  t.ok(Date.now() - stopping < 1000, 'stopped without waiting out the poll interval')
  await t.rejects(consumer.drain(), /stopped/)
})

t.test('drain() wakes an idle consumer instead of waiting out the poll interval', async (t) => {
  const { producer, consumer: db } = await feedDatabases(t)
  const consumer = start(t, {
    db,
    name: 'test.wake',
    source: inProcess(producer),
    pollIntervalMs: 60_000,
    handle: applyEvent,
  })
  await consumer.drain()
  await produce(producer, 3)
  const waited = Date.now()
  await consumer.drain()
  t.ok(Date.now() - waited < 5000)
  t.same(await actualState(db), expectedState(3))
})
