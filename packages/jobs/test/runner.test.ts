import { type Kysely, sql } from 'kysely'
import pg from 'pg'
import { Registry } from 'prom-client'
import t, { type Test } from 'tap'
import { createJobWorker, defineJobQueue, installJobs, type JobHandlers, type JobsLog } from '../src/index.ts'
import { type AppTables, JOBS_SCHEMA, jobsDatabase, type TestJobs, until } from './fixtures/database.ts'

const pendingCount = async (db: Kysely<AppTables>) =>
  (await sql<{ n: number }>`select count(*)::int as n from ${sql.id(JOBS_SCHEMA, '_private_jobs')}`.execute(db))
    .rows[0]!.n

const attemptsOf = async (db: Kysely<AppTables>, id: string) =>
  (
    await sql<{ attempts: number; lastError: string | null }>`
      select attempts::int as attempts, last_error from ${sql.id(JOBS_SCHEMA, '_private_jobs')}
      where id = ${id}::bigint`.execute(db)
  ).rows[0]

function startWorker(t: Test, url: string, db: Kysely<AppTables>, handlers: JobHandlers<TestJobs>, log?: JobsLog) {
  // The runner works by the database's time: jobs are enqueued "now" by the wall clock.
  const queue = defineJobQueue<TestJobs>({ schema: JOBS_SCHEMA })
  const worker = createJobWorker({ queue, db, handlers, registry: new Registry(), log })
  t.teardown(() => worker.stop())
  return { queue, worker, start: () => worker.start({ url, concurrency: 2, pollIntervalMs: 500 }) }
}

t.test('the runner runs every good job promptly while one job always fails', async (t) => {
  const { url, db } = await jobsDatabase(t)
  const done = new Set<number>()
  let poisonAttempts = 0
  const { queue, start } = startWorker(t, url, db, {
    async 'order.expire'() {},
    async 'order.poison'() {
      poisonAttempts += 1
      throw new Error('always fails')
    },
    async 'order.record'({ n }) {
      done.add(n)
    },
  })
  // The poisoned job is first in line, due before every good one.
  const poison = await db
    .transaction()
    .execute((trx) =>
      queue.enqueue(trx, 'order.poison', { reason: 'x' }, { runAt: new Date(Date.now() - 60_000), maxAttempts: 50 }),
    )
  await db.transaction().execute(async (trx) => {
    for (let n = 0; n < 100; n++) await queue.enqueue(trx, 'order.record', { n })
  })
  const startedAt = Date.now()
  await start()
  await until(() => done.size === 100, 'every good job to run')
  const elapsedMs = Date.now() - startedAt
  t.ok(poisonAttempts >= 1, 'the poisoned job was tried')
  t.match(await attemptsOf(db, poison.id), { lastError: 'always fails' }, 'its failure is recorded')
  t.equal(await pendingCount(db), 1, 'only the poisoned job is left, waiting for its next attempt')
  // The first retry of the poisoned job is e^1 ≈ 2.7 s after its failure; all good jobs were done without
  // waiting on it. Generous bound for a loaded 2-core machine: the point is "not held back for its retries".
  t.ok(elapsedMs < 15_000, `100 good jobs took ${elapsedMs} ms`)
})

t.test('a job enqueued while the runner idles runs without waiting for a poll', async (t) => {
  const { url, db } = await jobsDatabase(t)
  const ran: number[] = []
  const { queue, worker } = startWorker(t, url, db, {
    async 'order.expire'() {},
    async 'order.poison'() {},
    async 'order.record'({ n }) {
      ran.push(n)
    },
  })
  // A poll interval far beyond the wait below: only the notification of the commit can wake it.
  await worker.start({ url, concurrency: 1, pollIntervalMs: 600_000 })
  await db.transaction().execute((trx) => queue.enqueue(trx, 'order.record', { n: 1 }))
  await until(() => ran.length === 1, 'the job to run', 30_000)
  t.same(ran, [1])
})

t.test('stop lets the running job finish and takes no new one', async (t) => {
  const { url, db } = await jobsDatabase(t)
  let release!: () => void
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  let started = 0
  let finished = 0
  const { queue, start, worker } = startWorker(t, url, db, {
    async 'order.expire'() {},
    async 'order.poison'() {},
    async 'order.record'() {
      started += 1
      await gate
      finished += 1
    },
  })
  await db.transaction().execute(async (trx) => {
    await queue.enqueue(trx, 'order.record', { n: 1 })
  })
  await start()
  await until(() => started === 1, 'the job to start')
  let stopped = false
  const stopping = worker.stop().then(() => {
    stopped = true
  })
  await db.transaction().execute((trx) => queue.enqueue(trx, 'order.record', { n: 2 }))
  t.equal(stopped, false, 'stop waits for the running job')
  release()
  await stopping
  t.equal(finished, 1, 'the running job finished before stop resolved')
  t.equal(started, 1, 'no job was taken after stop')
  t.equal(await pendingCount(db), 1, 'the finished job is complete; the new one waits for the next runner')
})

t.test('another schema installing its jobs does not stop a running runner nor set an exit code', async (t) => {
  const { url, db } = await jobsDatabase(t)
  const ran: number[] = []
  const lines: Array<{ level: string; msg: string }> = []
  const record = (level: string) => (_obj: Record<string, unknown>, msg: string) => lines.push({ level, msg })
  const log = { debug() {}, info: record('info'), warn: record('warn'), error: record('error') }
  const { queue, start } = startWorker(
    t,
    url,
    db,
    {
      async 'order.expire'() {},
      async 'order.poison'() {},
      async 'order.record'({ n }) {
        ran.push(n)
      },
    },
    log,
  )
  await start()
  const exitCodeBefore = process.exitCode
  // A fresh install runs graphile-worker's breaking migrations, which it announces to every runner. The
  // runner may not be listening yet right after it started: installs go on until one stopped it.
  const restarted = () => lines.some((l) => l.msg.startsWith('job runner restarted after a job schema migration'))
  let installs = 0
  const installUntilRestarted = async () => {
    if (restarted()) return true
    await installJobs({ url, schema: `other_jobs_${installs++}` })
    return restarted()
  }
  await until(installUntilRestarted, 'the runner to stop on the migration notice and start again', 30_000)
  await db.transaction().execute((trx) => queue.enqueue(trx, 'order.record', { n: 7 }))
  await until(() => ran.length === 1, 'the job to run after the other install', 30_000)
  t.same(ran, [7])
  t.equal(process.exitCode, exitCodeBefore, 'no exit code was left behind')
  // Every service's first start goes through this: nothing failed, so nothing is logged as a failure.
  t.same(
    lines.filter((l) => l.level === 'warn' || l.level === 'error'),
    [],
    'no warning or error was logged for it',
  )
})

t.test('installing the jobs has closed every connection it opened when it returns', async (t) => {
  const { url } = await jobsDatabase(t)
  // A connection still closing when the install returns would be cut by whoever drops or templates the
  // database next, and report that as an error: every client connected during the call must have ended.
  const opened: pg.Client[] = []
  const ended = new Set<pg.Client>()
  const connect = pg.Client.prototype.connect
  t.teardown(() => {
    pg.Client.prototype.connect = connect
  })
  pg.Client.prototype.connect = function (this: pg.Client, ...args: unknown[]) {
    opened.push(this)
    this.once('end', () => ended.add(this))
    return Reflect.apply(connect, this, args)
  } as unknown as typeof connect
  for (let i = 0; i < 3; i++) {
    await installJobs({ url, schema: `more_jobs_${i}` })
    t.ok(opened.length > 0, 'the install connected')
    t.equal(opened.filter((c) => !ended.has(c)).length, 0, `every connection of install ${i + 1} has ended`)
  }
})
