import { randomUUID } from 'node:crypto'
import { SURVEY_EVENTS } from '@commons/contracts'
import { appendEvent, createDb, migrateToLatest, type NewEvent, readFeed } from '@commons/db'
import { parseConfig } from '@commons/service-kit'
import { testDatabase } from '@commons/testkit'
import t from 'tap'
import { migrate } from '../src/app.ts'
import { ListingsConfig } from '../src/config.ts'
import { eventsOf, testDb } from './fixtures.ts'
import { buildTestApp, orgOwner, SERVICE_TOKEN } from './helpers.ts'

t.test('a need raised from a survey result arrives on the board from the community feed', async (t) => {
  const databaseUrl = await testDatabase(t, {
    template: 'listings-community',
    prepare: async (url) => {
      await migrate({ DATABASE_URL: url })
      // Stands in for the community service: only its outbox, which the test writes to.
      const community = createDb({ url, schema: 'community', poolMax: 1 })
      try {
        await migrateToLatest(community, { schema: 'community', migrations: {} })
      } finally {
        await community.destroy()
      }
    },
  })
  const communityDb = createDb<unknown>({ url: databaseUrl, schema: 'community', poolMax: 2 })
  const config = parseConfig(ListingsConfig, {
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    SERVICE_TOKEN,
    RUN_WORKERS: 'true',
    AUTH_RATE_LIMIT_MAX: '1000',
  })
  const app = await buildTestApp(config, { communityFeed: (after, limit) => readFeed(communityDb, { after, limit }) })
  t.teardown(async () => {
    await app.close()
    await communityDb.destroy()
  })
  const db = testDb(t, databaseUrl)
  const owner = await orgOwner(app)
  const needId = randomUUID()
  const surveyId = randomUUID()
  const evidence = '「您最需要哪些服务？」75%（6/8）选择了「智能手机培训」'
  const event: NewEvent = {
    type: SURVEY_EVENTS.needRequested,
    entityId: needId,
    version: 1,
    payload: {
      needId,
      organizationId: owner.organization.id,
      surveyId,
      evidence,
      need: {
        kind: 'expertise',
        title: '老年人智能手机培训',
        description: '每周一次',
        tags: [],
        city: '上海',
        district: '浦东新区',
        window: { start: '2026-12-10T01:00:00Z', end: '2026-12-20T10:00:00Z' },
      },
    },
  }
  // Delivered twice, as at-least-once delivery may: one need.
  for (let i = 0; i < 2; i++) {
    await communityDb.transaction().execute((trx) => appendEvent(trx, event))
    await app.listings.syncCommunity()
  }

  const res = await app.inject({ method: 'GET', url: `/v1/needs/${needId}` })
  t.equal(res.statusCode, 200, res.body)
  t.equal(res.json().surveyId, surveyId)
  t.equal(res.json().organizationId, owner.organization.id)
  t.equal(res.json().description, `来自需求调查：${evidence}\n\n每周一次`)
  t.same(
    (await eventsOf(db, needId)).map((e) => e.type),
    ['need.opened'],
    'need.opened once, for discovery to match it',
  )
})
