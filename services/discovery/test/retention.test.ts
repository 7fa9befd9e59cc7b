import { randomUUID } from 'node:crypto'
import { createDb } from '@commons/db'
import { parseConfig } from '@commons/service-kit'
import { testDatabase } from '@commons/testkit'
import t, { type Test } from 'tap'
import { buildApp } from '../src/app.ts'
import { DiscoveryConfig } from '../src/config.ts'
import type { DB } from '../src/db/schema.ts'
import { prepareDatabase, SERVICE_TOKEN, signer } from './helpers.ts'

const DAY = 86_400_000

/** Discovery with a clock the test moves; no index workers (the sweep needs only Postgres). */
async function retentionApp(t: Test, env: Record<string, string> = {}) {
  const databaseUrl = await testDatabase(t, { template: 'discovery', prepare: prepareDatabase })
  const clock = { current: new Date('2026-12-01T02:00:00Z'), now: () => clock.current }
  const config = parseConfig(DiscoveryConfig, {
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    SERVICE_TOKEN,
    MEILI_URL: 'http://127.0.0.1:9',
    MEILI_MASTER_KEY: 'k'.repeat(16),
    RUN_WORKERS: 'false',
    ...env,
  })
  const app = await buildApp(config, { keys: (await signer()).keys, clock, startJobRunner: false })
  t.teardown(() => app.close())
  const db = createDb<DB>({ url: databaseUrl, schema: 'discovery', poolMax: 1 })
  t.teardown(() => db.destroy())
  const view = (daysAfterStart: number, start = clock.current.getTime()) =>
    db
      .insertInto('views')
      .values({ userId: randomUUID(), listingId: randomUUID(), viewedAt: new Date(start + daysAfterStart * DAY) })
      .returning('id')
      .executeTakeFirstOrThrow()
  return { app, clock, db, view }
}

t.test('views older than the retention period are removed by the sweep; younger ones stay', async (t) => {
  const { app, clock, db, view } = await retentionApp(t)
  const start = clock.now().getTime()
  await view(0)
  const young = await view(10)

  await app.retention.schedule(clock.now())
  t.equal(await app.retention.runDue(), 1)
  t.equal((await db.selectFrom('views').select('id').execute()).length, 2, 'nothing is 90 days old yet')

  // 95 days on: the first view is past 90 days, the second is 85 days old.
  clock.current = new Date(start + 95 * DAY)
  t.equal(await app.retention.runDue(), 1, 'the sweep scheduled by the previous one runs')
  t.same(
    (await db.selectFrom('views').select('id').execute()).map((v) => v.id),
    [young.id],
  )
  t.equal(await app.retention.runDue(), 0, 'the next sweep is a day away')
})

t.test('the retention period is configurable', async (t) => {
  const { app, clock, db, view } = await retentionApp(t, { VIEW_RETENTION_DAYS: '7' })
  await view(-8)
  const young = await view(-6)
  await app.retention.schedule(clock.now())
  await app.retention.runDue()
  t.same(
    (await db.selectFrom('views').select('id').execute()).map((v) => v.id),
    [young.id],
  )
})
