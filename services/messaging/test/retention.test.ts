import { randomUUID } from 'node:crypto'
import { createDb } from '@commons/db'
import t from 'tap'
import type { DB } from '../src/db/schema.ts'
import { scheduleRetention } from '../src/privacy/retention.ts'
import { testApp } from './helpers.ts'

const DAY = 86_400_000

t.test('notifications older than the retention period are removed by the sweep; younger ones stay', async (t) => {
  const h = await testApp(t, { now: '2026-12-01T02:00:00Z' })
  const db = createDb<DB>({ url: h.databaseUrl, schema: 'messaging', poolMax: 1 })
  t.teardown(() => db.destroy())
  const start = h.clock.now().getTime()
  const userId = randomUUID()
  const notify = async (daysAfterStart: number) => {
    const id = randomUUID()
    await db
      .insertInto('notifications')
      .values({
        id,
        userId,
        type: 'booking_requested',
        params: JSON.stringify({}),
        link: '/bookings',
        createdAt: new Date(start + daysAfterStart * DAY),
        readAt: null,
        dedupeKey: id,
      })
      .execute()
    await db
      .insertInto('deliveries')
      .values({ notificationId: id, channel: 'email', deliveredAt: new Date(start) })
      .execute()
    return id
  }
  const old = await notify(0)
  const young = await notify(10)

  // The first sweep (the job runner schedules it at start-up) finds nothing old enough yet.
  await scheduleRetention(h.app.messaging.deps, h.clock.now())
  t.equal(await h.app.messaging.runDueJobs(), 1)
  t.equal((await db.selectFrom('notifications').select('id').execute()).length, 2)

  // 185 days on: the first is past 180 days, the second is 175 days old.
  h.clock.set(new Date(start + 185 * DAY))
  t.equal(await h.app.messaging.runDueJobs(), 1, 'the sweep scheduled by the previous one runs')
  const left = await db.selectFrom('notifications').select('id').execute()
  t.same(
    left.map((n) => n.id),
    [young],
  )
  const deliveries = await db.selectFrom('deliveries').select('notificationId').execute()
  t.same(
    deliveries.map((d) => d.notificationId),
    [young],
    "the removed notification's delivery record goes with it",
  )
  t.notOk(left.some((n) => n.id === old))
  t.equal(await h.app.messaging.runDueJobs(), 0, 'the next sweep is a day away')
})

t.test('the retention period is configurable', async (t) => {
  const h = await testApp(t, { env: { NOTIFICATION_RETENTION_DAYS: '30' } })
  const db = createDb<DB>({ url: h.databaseUrl, schema: 'messaging', poolMax: 1 })
  t.teardown(() => db.destroy())
  const now = h.clock.now().getTime()
  for (const age of [31, 29]) {
    const id = randomUUID()
    await db
      .insertInto('notifications')
      .values({
        id,
        userId: randomUUID(),
        type: 'booking_requested',
        params: JSON.stringify({ age }),
        link: '/bookings',
        createdAt: new Date(now - age * DAY),
        readAt: null,
        dedupeKey: id,
      })
      .execute()
  }
  await scheduleRetention(h.app.messaging.deps, h.clock.now())
  await h.app.messaging.runDueJobs()
  const left = await db.selectFrom('notifications').select('params').execute()
  t.same(
    left.map((n) => n.params),
    [{ age: 29 }],
  )
})
