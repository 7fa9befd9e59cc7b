import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { BaseConfig, buildService, parseConfig } from '@commons/service-kit'
import type { Kysely } from 'kysely'
import t, { type Test } from 'tap'
import { type KitTables, registerFeedRoute, startConsumer } from '../src/index.ts'
import { feedDatabases } from './fixtures/databases.ts'
import { appendTestEvent, applyEvent, testEvent } from './fixtures/feed-fixture.ts'

const TOKEN = 'the-service-token-for-long-polls'

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(5)
  }
}

async function feedService(t: Test, producer: Kysely<KitTables>) {
  const app = await buildService({ name: 'producer', config: parseConfig(BaseConfig, { LOG_LEVEL: 'silent' }) })
  // Reads of the feed being answered right now: a held long poll shows here.
  const inFlight = { count: 0 }
  app.addHook('onRequest', async () => {
    inFlight.count += 1
  })
  app.addHook('onResponse', async () => {
    inFlight.count -= 1
  })
  registerFeedRoute(app, { db: producer, serviceToken: TOKEN })
  await app.listen({ host: '127.0.0.1', port: 0 })
  let closed = false
  t.teardown(() => (closed ? undefined : app.close()))
  const close = async () => {
    closed = true
    await app.close()
  }
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, close, inFlight }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

t.test('a long-polling consumer is woken by the commit of an event, not by its next poll', async (t) => {
  const { producer, consumer: db } = await feedDatabases(t)
  const { url } = await feedService(t, producer)
  const latencies: Record<string, number[]> = { longPoll: [], polling: [] }
  const modes = { longPoll: { longPollMs: 20_000 }, polling: { longPollMs: 0, pollIntervalMs: 500 } }
  for (const [mode, options] of Object.entries(modes)) {
    const name = `test.${mode}`
    const consumer = startConsumer({ db, name, source: { url, token: TOKEN }, handle: applyEvent, ...options })
    t.teardown(() => consumer.stop())
    await consumer.drain()
    for (let i = 0; i < 5; i++) {
      const entity = `${mode}-${i}`
      const before = await db.selectFrom('applications').where('entityId', '=', entity).selectAll().execute()
      t.same(before, [])
      const published = Date.now()
      await producer.transaction().execute((trx) => appendTestEvent(trx, testEvent(entity, 1)))
      await until(
        async () => (await db.selectFrom('effects').where('entityId', '=', entity).selectAll().execute()).length > 0,
        `${entity} applied`,
      )
      latencies[mode]!.push(Date.now() - published)
    }
    await consumer.stop()
  }
  t.comment(
    `publish-to-consumer latency, median of 5 (ms): long poll ${median(latencies.longPoll!)}, ` +
      `polling every 500 ms ${median(latencies.polling!)}; all: ${JSON.stringify(latencies)}`,
  )
  // Without the wake-up each event would wait for the 20 s poll to end.
  t.ok(
    latencies.longPoll!.every((ms) => ms < 10_000),
    'every event reached the long-polling consumer long before its poll would have ended',
  )
})

t.test('drain() and closing the feed service cut a held long poll short', async (t) => {
  const { producer, consumer: db } = await feedDatabases(t)
  const service = await feedService(t, producer)
  const consumer = startConsumer({
    db,
    name: 'test.held',
    source: { url: service.url, token: TOKEN },
    handle: applyEvent,
  })
  t.teardown(() => consumer.stop())
  await consumer.drain()
  const drained = Date.now()
  await consumer.drain()
  t.ok(Date.now() - drained < 10_000, `drain answered while a poll was held (${Date.now() - drained} ms)`)

  // Let the consumer park in a long poll, then close the service under it.
  await until(async () => service.inFlight.count > 0, 'a held poll')
  const closing = Date.now()
  await service.close()
  t.ok(Date.now() - closing < 10_000, `the service closed without waiting out the poll (${Date.now() - closing} ms)`)
})

t.test('GET /v1/events?wait= holds an empty answer until an event commits', async (t) => {
  const { producer } = await feedDatabases(t)
  const service = await feedService(t, producer)
  const headers = { authorization: `Bearer ${TOKEN}` }
  const held = Date.now()
  const empty = await fetch(`${service.url}/v1/events?wait=1`, { headers })
  t.same(await empty.json(), { events: [], next: null })
  t.ok(Date.now() - held >= 900, 'held for the wait when nothing committed')

  const asked = Date.now()
  const answer = fetch(`${service.url}/v1/events?wait=20`, { headers })
  await until(async () => service.inFlight.count > 0, 'the read to be held')
  await producer.transaction().execute((trx) => appendTestEvent(trx, testEvent('woken', 1)))
  const page = (await (await answer).json()) as { events: Array<{ entityId: string }> }
  t.same(
    page.events.map((e) => e.entityId),
    ['woken'],
    'answered with the event',
  )
  t.ok(Date.now() - asked < 10_000, `answered on commit, not at the end of the wait (${Date.now() - asked} ms)`)
})
