import { type Kysely, sql } from 'kysely'
import { Registry } from 'prom-client'
import t, { type Test } from 'tap'
import {
  createJobWorker,
  defineJobQueue,
  type JobHandlers,
  type JobInfo,
  listDeadJobs,
  retryJob,
  runJobsCommand,
} from '../src/index.ts'
import { type AppTables, JOBS_SCHEMA, jobsDatabase, TestClock, type TestJobs } from './fixtures/database.ts'

// Well before the database's own time: runDue must follow the queue's clock, not now().
const T0 = '2026-01-10T08:00:00.000Z'
const at = (iso: string) => new Date(iso)
const minutes = (n: number) => n * 60_000

interface JobRow {
  id: string
  task: string
  payload: Record<string, unknown>
  runAt: Date
  attempts: number
  maxAttempts: number
  key: string | null
  lastError: string | null
}

const jobRows = async (db: Kysely<AppTables>) =>
  (
    await sql<JobRow>`
      select j.id::text as id, t.identifier as task, j.payload, j.run_at, j.attempts::int as attempts,
        j.max_attempts::int as max_attempts, j.key, j.last_error
      from ${sql.id(JOBS_SCHEMA, '_private_jobs')} as j join ${sql.id(JOBS_SCHEMA, '_private_tasks')} as t on t.id = j.task_id
      order by j.run_at, j.id`.execute(db)
  ).rows

const metricValue = async (registry: Registry, name: string, task: string) => {
  const metric = await registry.getSingleMetric(name)?.get()
  return metric?.values.find((v) => v.labels.task === task && v.labels.queue === JOBS_SCHEMA)?.value
}

function setup(t: Test, db: Kysely<AppTables>) {
  const clock = new TestClock(at(T0))
  const queue = defineJobQueue<TestJobs>({ schema: JOBS_SCHEMA, clock, maxAttempts: 3 })
  const ran: Array<{ task: string; payload: unknown; job: JobInfo }> = []
  const handlers: JobHandlers<TestJobs> = {
    async 'order.expire'(payload, job) {
      ran.push({ task: job.task, payload, job })
      await db.updateTable('orders').set({ status: 'expired' }).where('id', '=', payload.orderId).execute()
    },
    async 'order.poison'(payload, job) {
      ran.push({ task: job.task, payload, job })
      throw new Error(`poisoned: ${payload.reason}`)
    },
    async 'order.record'(payload, job) {
      ran.push({ task: job.task, payload, job })
    },
  }
  const registry = new Registry()
  const worker = createJobWorker({ queue, db, handlers, registry })
  t.teardown(() => worker.stop())
  return { clock, queue, worker, ran, registry }
}

t.test('a job exists if and only if the transaction that enqueued it commits', async (t) => {
  const { db } = await jobsDatabase(t)
  const { queue } = setup(t, db)

  await t.rejects(
    db.transaction().execute(async (trx) => {
      await trx.insertInto('orders').values({ id: 'o1', status: 'held' }).execute()
      await queue.enqueue(trx, 'order.expire', { orderId: 'o1' }, { runAt: at('2026-01-10T08:15:00Z') })
      throw new Error('the change fails after the job was added')
    }),
    /the change fails/,
  )
  t.same(await jobRows(db), [], 'the rolled-back transaction left no job')
  t.same(await db.selectFrom('orders').selectAll().execute(), [], 'nor its change')

  const job = await db.transaction().execute(async (trx) => {
    await trx.insertInto('orders').values({ id: 'o1', status: 'held' }).execute()
    return queue.enqueue(trx, 'order.expire', { orderId: 'o1' }, { runAt: at('2026-01-10T08:15:00Z') })
  })
  const rows = await jobRows(db)
  t.equal(rows.length, 1, 'the committed transaction left its job')
  t.match(rows[0], {
    id: job.id,
    task: 'order.expire',
    payload: { orderId: 'o1' },
    runAt: at('2026-01-10T08:15:00Z'),
    attempts: 0,
    maxAttempts: 3,
  })
})

t.test('a key keeps one pending job per key: enqueueing again replaces it, cancel removes it', async (t) => {
  const { db } = await jobsDatabase(t)
  const { queue } = setup(t, db)
  const enqueue = (orderId: string, runAt: string, key: string) =>
    db.transaction().execute((trx) => queue.enqueue(trx, 'order.expire', { orderId }, { runAt: at(runAt), key }))

  await enqueue('o1', '2026-01-10T09:00:00Z', 'expire:o1')
  await enqueue('o1-v2', '2026-01-10T10:00:00Z', 'expire:o1')
  await enqueue('o2', '2026-01-10T09:30:00Z', 'expire:o2')
  t.match(
    await jobRows(db),
    [
      { key: 'expire:o2', payload: { orderId: 'o2' } },
      { key: 'expire:o1', payload: { orderId: 'o1-v2' }, runAt: at('2026-01-10T10:00:00Z') },
    ],
    'the second enqueue with a key replaced the payload and the time of the first',
  )
  t.equal((await jobRows(db)).length, 2)

  t.equal(await db.transaction().execute((trx) => queue.cancel(trx, 'expire:o1')), true)
  t.equal(await db.transaction().execute((trx) => queue.cancel(trx, 'expire:o1')), false, 'nothing left to cancel')
  t.match(await jobRows(db), [{ key: 'expire:o2' }])
})

t.test('runDue runs exactly the jobs due by the given time, in due order, by the queue clock', async (t) => {
  const { db } = await jobsDatabase(t)
  const { queue, worker, ran, clock } = setup(t, db)
  await db.insertInto('orders').values({ id: 'o1', status: 'held' }).execute()
  await db.transaction().execute(async (trx) => {
    await queue.enqueue(trx, 'order.record', { n: 3 }, { runAt: at('2026-01-10T08:30:00Z') })
    await queue.enqueue(trx, 'order.record', { n: 1 }, { runAt: at('2026-01-10T08:10:00Z') })
    await queue.enqueue(trx, 'order.expire', { orderId: 'o1' }, { runAt: at('2026-01-10T08:20:00Z') })
    await queue.enqueue(trx, 'order.record', { n: 4 }, { runAt: at('2026-01-11T08:00:00Z') })
    await queue.enqueue(trx, 'order.record', { n: 0 }) // default: due at the clock's now
  })

  t.equal(await worker.runDue(at('2026-01-10T08:20:00Z')), 3)
  t.same(
    ran.map((r) => r.payload),
    [{ n: 0 }, { n: 1 }, { orderId: 'o1' }],
    'the jobs due by then ran in due order, and the later ones did not, although the database time is past them',
  )
  t.match(ran[2]!.job, { task: 'order.expire', attempt: 1, maxAttempts: 3, runAt: at('2026-01-10T08:20:00Z') })
  t.same(await db.selectFrom('orders').selectAll().execute(), [{ id: 'o1', status: 'expired' }])
  t.equal(await worker.runDue(at('2026-01-10T08:20:00Z')), 0, 'a job that completed is gone')

  clock.set('2026-01-11T09:00:00Z')
  t.equal(await worker.runDue(), 2, 'without a time, runDue uses the queue clock')
  t.same(
    ran.slice(3).map((r) => r.payload),
    [{ n: 3 }, { n: 4 }],
  )
  t.same(await jobRows(db), [])
})

t.test('a failing job is retried with exponential backoff, then dead, listed, counted and retryable', async (t) => {
  const { db } = await jobsDatabase(t)
  const { queue, worker, ran, registry } = setup(t, db)
  const poison = await db
    .transaction()
    .execute((trx) => queue.enqueue(trx, 'order.poison', { reason: 'bad data' }, { runAt: at(T0) }))

  t.equal(await worker.runDue(at(T0)), 1, 'the failed attempt is not repeated within the same call')
  let [row] = await jobRows(db)
  t.match(row, { attempts: 1, lastError: 'poisoned: bad data' })
  // graphile-worker's backoff: e^attempts seconds after the attempt.
  t.equal(row!.runAt.getTime(), Date.parse(T0) + Math.round(Math.exp(1) * 1000))
  t.equal(await worker.runDue(new Date(Date.parse(T0) + 2000)), 0, 'not due again before its backoff')

  t.equal(await worker.runDue(new Date(Date.parse(T0) + 3000)), 1)
  ;[row] = await jobRows(db)
  t.equal(row!.runAt.getTime(), Date.parse(T0) + 3000 + Math.round(Math.exp(2) * 1000), 'the backoff grew')
  t.equal(await metricValue(registry, 'jobs_dead', 'order.poison'), 0, 'not dead while attempts remain')

  t.equal(await worker.runDue(at('2026-01-10T09:00:00Z')), 1, 'the third and last attempt')
  t.equal(await worker.runDue(at('2026-02-10T09:00:00Z')), 0, 'a dead job never runs again by itself')
  t.same(
    ran.map((r) => r.job.attempt),
    [1, 2, 3],
  )
  t.match(await jobRows(db), [{ id: poison.id, attempts: 3, maxAttempts: 3 }], 'the dead job is kept')
  t.equal(await metricValue(registry, 'jobs_dead', 'order.poison'), 1, 'and counted per queue and task')
  t.equal(await metricValue(registry, 'jobs_dead', 'order.expire'), 0)
  t.equal(await metricValue(registry, 'jobs_failed_attempts_total', 'order.poison'), 3)

  const dead = await listDeadJobs(db, queue)
  t.match(dead, [
    {
      id: poison.id,
      task: 'order.poison',
      payload: { reason: 'bad data' },
      attempts: 3,
      lastError: 'poisoned: bad data',
    },
  ])
  t.same(await listDeadJobs(db, queue, { task: 'order.expire' }), [], 'filtered by task')

  await t.rejects(retryJob(db, queue, '999999'), { code: 'job_not_found', status: 404 })
  const retried = await retryJob(db, queue, poison.id, { runAt: at('2026-03-01T00:00:00Z') })
  t.match(retried, { id: poison.id, task: 'order.poison', runAt: at('2026-03-01T00:00:00Z') })
  t.equal(await metricValue(registry, 'jobs_dead', 'order.poison'), 0, 'the gauge falls once it is retried')
  await t.rejects(retryJob(db, queue, poison.id), { code: 'job_not_dead', status: 409 })
  t.equal(await worker.runDue(at('2026-03-01T00:00:00Z')), 1, 'the retried job runs again')
  t.equal(ran.at(-1)!.job.attempt, 1, 'with a fresh set of attempts')
})

t.test('a job that always fails never holds back the jobs due after it', async (t) => {
  const { db } = await jobsDatabase(t)
  const { queue, worker, ran } = setup(t, db)
  await db.transaction().execute(async (trx) => {
    await queue.enqueue(trx, 'order.poison', { reason: 'first in line' }, { runAt: at(T0), maxAttempts: 100 })
    for (let n = 0; n < 50; n++) {
      await queue.enqueue(trx, 'order.record', { n }, { runAt: new Date(Date.parse(T0) + minutes(1) + n) })
    }
  })
  t.equal(await worker.runDue(new Date(Date.parse(T0) + minutes(2))), 51)
  t.same(
    ran.filter((r) => r.task === 'order.record').map((r) => (r.payload as { n: number }).n),
    Array.from({ length: 50 }, (_, n) => n),
    'every good job ran, after one failed attempt of the poisoned one',
  )
  t.match(await jobRows(db), [{ task: 'order.poison', attempts: 1 }])
})

t.test('the jobs command lists dead jobs and retries one', async (t) => {
  const { db } = await jobsDatabase(t)
  const { queue, worker } = setup(t, db)
  const job = await db
    .transaction()
    .execute((trx) =>
      queue.enqueue(trx, 'order.poison', { reason: 'broken' }, { runAt: at(T0), maxAttempts: 1, key: 'poison:1' }),
    )
  await worker.runDue(at(T0))
  const run = async (...args: string[]) => {
    let out = ''
    let err = ''
    const code = await runJobsCommand(args, {
      db,
      queue,
      out: { write: (s: string) => (out += s) },
      err: { write: (s: string) => (err += s) },
    })
    return { code, out, err }
  }

  const list = await run('list')
  t.equal(list.code, 0)
  t.match(list.out, new RegExp(`^${job.id}\\torder\\.poison\\tattempts 1/1\\t.*\\tkey poison:1\\n`))
  t.match(list.out, /\{"reason":"broken"\}/)
  t.match(list.out, /poisoned: broken/)
  t.match(list.out, /1 dead job\(s\) in app_jobs/)
  t.match((await run('list', '--task', 'order.record')).out, /No dead jobs in app_jobs/)
  t.equal((await run('list', '--limit', 'x')).code, 64)
  t.equal((await run('frobnicate')).code, 64)
  t.match((await run('frobnicate')).err, /usage: jobs list/)

  const retry = await run('retry', job.id)
  t.equal(retry.code, 0)
  t.match(retry.out, `Job ${job.id} (order.poison) will run again from ${T0}`)
  const again = await run('retry', job.id)
  t.equal(again.code, 1, 'a job with attempts left is not retried')
  t.match(again.err, /still has attempts left/)
  t.equal((await run('retry', '424242')).code, 1)
  t.match((await run('list')).out, /No dead jobs/)
})

t.test('enqueueCall adds the job within the caller’s statement, once per row it is selected over', async (t) => {
  const { db } = await jobsDatabase(t)
  const { queue } = setup(t, db)
  const write = (id: string, status: string) =>
    sql`with changed as (
          insert into orders (id, status) select ${id}, ${status} where ${status} <> 'refused' returning id
        ), job as (
          select (${queue.enqueueCall('order.expire', { orderId: id }, { runAt: at('2026-01-10T08:15:00Z'), key: `expire:${id}` })}).id
          from changed
        )
        select (select count(*) from job)::int as jobs`.execute(db)
  t.same((await write('o1', 'held')).rows, [{ jobs: 1 }])
  t.same((await write('o2', 'refused')).rows, [{ jobs: 0 }], 'no row written, no job')
  t.match(await jobRows(db), [{ task: 'order.expire', payload: { orderId: 'o1' }, key: 'expire:o1', maxAttempts: 3 }])
  t.equal((await jobRows(db)).length, 1)
  await t.rejects(
    sql`with job as (select (${queue.enqueueCall('order.expire', { orderId: 'o3' })}).id)
        select (select count(*) from job), 1 / 0`.execute(db),
    /division by zero/,
  )
  t.equal((await jobRows(db)).length, 1, 'a failing statement leaves no job')
})
