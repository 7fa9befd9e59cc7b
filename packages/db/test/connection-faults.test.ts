import { createServer, type Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { type App, BaseConfig, buildService, parseConfig } from '@commons/service-kit'
import { freePort } from '@commons/testkit'
import { type Kysely, sql } from 'kysely'
import t, { type Test } from 'tap'
import { z } from 'zod'
import { createDb, type FeedReader, type KitTables, readFeed, startConsumer } from '../src/index.ts'
import { feedDatabases } from './fixtures/databases.ts'
import { actualState, applyEvent, type ConsumerTables, expectedState, produce } from './fixtures/feed-fixture.ts'

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

/** Terminates every backend of `applicationName`, as an operator or a failover would; returns how many. */
async function terminateBackends(admin: Kysely<KitTables>, applicationName: string): Promise<number> {
  // In the select list, not the where clause: there the planner may run it before the name filter.
  const { rows } = await sql<{ terminated: boolean }>`
    select pg_terminate_backend(pid) as terminated from pg_stat_activity
    where application_name = ${applicationName}`.execute(admin)
  return rows.filter((row) => row.terminated).length
}

const backendsIn = async (admin: Kysely<KitTables>, applicationName: string, state: string) => {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pg_stat_activity
    where application_name = ${applicationName} and state like ${state}`.execute(admin)
  return rows[0]?.n ?? 0
}

/**
 * A service on the kit and a pool of this package: `/v1/count` reads, and `/v1/held` keeps its
 * transaction's connection checked out and idle until the test opens the gate, the window in which a
 * terminated backend used to be an unhandled 'error' event.
 */
async function testService(t: Test, url: string, applicationName: string) {
  const errors: Error[] = []
  const db = createDb<KitTables>({
    url,
    schema: 'producer',
    applicationName,
    onConnectionError: (error) => errors.push(error),
  })
  const app: App = await buildService({ name: 'faults', config: parseConfig(BaseConfig, { LOG_LEVEL: 'silent' }) })
  app.addHook('onClose', () => db.destroy())
  const deferred = () => {
    let resolve = () => {}
    const promise = new Promise<void>((r) => {
      resolve = r
    })
    return { promise, resolve }
  }
  let gate = deferred()
  const Count = z.object({ events: z.number() })
  app.get('/v1/count', { schema: { operationId: 'count', tags: ['t'], response: { 200: Count } } }, async () => {
    const row = await db
      .selectFrom('events')
      .select(({ fn }) => fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    return { events: row.n }
  })
  app.get('/v1/held', { schema: { operationId: 'held', tags: ['t'], response: { 200: Count } } }, async () =>
    db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx)
      await gate.promise
      const row = await trx
        .selectFrom('events')
        .select(({ fn }) => fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      return { events: row.n }
    }),
  )
  t.teardown(() => app.close())
  return {
    app,
    errors,
    // The gate stays open until closed again: a held request that reaches it late (it waited for a
    // connection) must pass, not wait for a later round's gate.
    openGate: () => gate.resolve(),
    closeGate: () => {
      gate = deferred()
    },
  }
}

t.test('terminating every backend of a service under load does not end the process', async (t) => {
  const { url, producer } = await feedDatabases(t)
  await produce(producer, 3)
  const name = `faults-${process.pid}`
  const { app, errors, openGate, closeGate } = await testService(t, url, name)

  // Steady reads while the backends are terminated: each answers 200 or 503, never 500.
  const statuses = new Map<number, number>()
  let loading = true
  const load = Promise.all(
    Array.from({ length: 4 }, async () => {
      while (loading) {
        const res = await app.inject({ method: 'GET', url: '/v1/count' })
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
        if (res.statusCode === 503) t.equal(res.json().code, 'database_unavailable')
      }
    }),
  )
  try {
    for (let round = 0; round < 3; round++) {
      closeGate()
      const held = Array.from({ length: 3 }, () => app.inject({ method: 'GET', url: '/v1/held' }))
      // A held request may draw a connection that an earlier round terminated and fail at once: one is enough.
      await until(
        async () => (await backendsIn(producer, name, 'idle in transaction')) >= 1,
        'a checked-out connection',
      )
      t.ok((await terminateBackends(producer, name)) >= 1, `round ${round}: the backends were terminated`)
      await until(async () => errors.length > 0, 'the pool to hear of the terminated connections')
      openGate()
      const answers = await Promise.all(held)
      t.ok(
        answers.some((res) => res.statusCode === 503),
        'a request whose connection was terminated answers 503',
      )
      for (const res of answers.filter((res) => res.statusCode !== 200)) {
        t.equal(res.statusCode, 503)
        t.equal(res.json().code, 'database_unavailable')
        t.ok(Number(res.headers['retry-after']) > 0, 'with Retry-After')
      }
    }
  } finally {
    loading = false
    await load
  }
  t.notOk(statuses.has(500), `no 500 under load (${JSON.stringify([...statuses])})`)

  const after = await app.inject({ method: 'GET', url: '/v1/count' })
  t.equal(after.statusCode, 200, 'the process is alive and answering with fresh connections')
  t.same(after.json(), { events: 3 })
  closeGate()
  const heldAfter = app.inject({ method: 'GET', url: '/v1/held' })
  await until(async () => (await backendsIn(producer, name, 'idle in transaction')) >= 1, 'a held connection')
  openGate()
  t.equal((await heldAfter).statusCode, 200)
})

t.test('a feed consumer keeps consuming through terminated backends and applies every event', async (t) => {
  const { url, producer } = await feedDatabases(t)
  const name = `faults-consumer-${process.pid}`
  const db = createDb<ConsumerTables>({ url, schema: 'consumer', applicationName: name, poolMax: 3 })
  t.teardown(() => db.destroy())
  // A slow feed: the consumer sits in its fetch, where it used to keep a transaction open.
  const openDuringFetch: number[] = []
  const reader: FeedReader = async (after, limit) => {
    openDuringFetch.push(await backendsIn(producer, name, 'idle in transaction'))
    await sleep(30)
    return readFeed(producer, { after, limit })
  }
  const consumer = startConsumer({
    db,
    name: 'test.faults',
    source: reader,
    batchSize: 5,
    pollIntervalMs: 10,
    retry: { minMs: 10, maxMs: 50 },
    handle: applyEvent,
  })
  t.teardown(() => consumer.stop())
  // Checks read the consumer's schema through a pool of their own, which the terminations spare.
  const checks = createDb<ConsumerTables>({ url, schema: 'consumer', applicationName: `${name}-checks`, poolMax: 1 })
  t.teardown(() => checks.destroy())
  const applied = async () => (await actualState(checks)).applications.length
  let terminated = 0
  for (let round = 0; round < 4; round++) {
    await produce(producer, 15 * (round + 1), { from: 15 * round })
    // Terminated while the consumer works through the new events.
    await until(async () => (await backendsIn(producer, name, '%')) > 0, 'a connection of the consumer')
    terminated += await terminateBackends(producer, name)
    await until(async () => (await applied()) === 15 * (round + 1), `the events of round ${round + 1}`)
  }
  await consumer.drain()
  t.ok(terminated > 0, `backends were terminated while consuming (${terminated})`)
  t.ok(openDuringFetch.length > 0 && openDuringFetch.every((n) => n === 0), 'no transaction is open across a fetch')
  const expected = expectedState(60)
  const actual = await actualState(db)
  t.same(actual.effects, expected.effects, 'every entity ends at its latest version')
  // At least once: a batch whose commit answer was lost with its connection is applied again.
  t.same(
    actual.applications.map(({ entityId, version }) => ({ entityId, version })),
    expected.applications.map(({ entityId, version }) => ({ entityId, version })),
    'every event applied',
  )
})

t.test('an unreachable database answers 503 database_unavailable problem+json with Retry-After', async (t) => {
  const port = await freePort()
  const { app } = await testService(t, `postgres://commons@127.0.0.1:${port}/nowhere`, 'faults-refused')
  const started = Date.now()
  const res = await app.inject({ method: 'GET', url: '/v1/count' })
  t.equal(res.statusCode, 503)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  t.match(res.json(), { status: 503, code: 'database_unavailable' })
  t.ok(Number(res.headers['retry-after']) > 0)
  t.ok(Date.now() - started < 5000, 'answered at once')
})

t.test('a database host that never answers fails after the connection timeout with 503', async (t) => {
  // A listener that accepts and stays silent: a hung host or a black-holed route.
  const sockets = new Set<Socket>()
  const silent = createServer((socket) => {
    sockets.add(socket)
  })
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    for (const socket of sockets) socket.destroy()
    silent.close()
  })
  const port = (silent.address() as { port: number }).port
  const db = createDb<KitTables>({
    url: `postgres://commons@127.0.0.1:${port}/hung`,
    schema: 'producer',
    connectionTimeoutMs: 500,
  })
  t.teardown(() => db.destroy())
  const app = await buildService({ name: 'hung', config: parseConfig(BaseConfig, { LOG_LEVEL: 'silent' }) })
  app.get('/v1/count', { schema: { operationId: 'count', tags: ['t'] } }, async () =>
    db.selectFrom('events').selectAll().execute(),
  )
  t.teardown(() => app.close())
  const started = Date.now()
  const res = await app.inject({ method: 'GET', url: '/v1/count' })
  t.equal(res.statusCode, 503)
  t.equal(res.json().code, 'database_unavailable')
  t.ok(Date.now() - started < 4000, `answered within the connection timeout (${Date.now() - started} ms)`)
})
