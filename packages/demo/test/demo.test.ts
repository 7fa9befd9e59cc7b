import { ListingPublishedPayload, Need } from '@commons/contracts'
import { createDb, rowCounts } from '@commons/db'
import { buildApp, ListingsConfig, type ListingsDB, migrate } from '@commons/listings'
import { parseConfig } from '@commons/service-kit'
import { testDatabase } from '@commons/testkit'
import type { Kysely } from 'kysely'
import t, { type Test } from 'tap'
import { DEMO_ACCOUNTS, DEMO_PASSWORD, loadDemoData } from '../src/index.ts'

/** The real listings service on a fresh database, and a pool on its schema. */
async function testApp(t: Test) {
  const databaseUrl = await testDatabase(t, { template: 'listings', prepare: (url) => migrate({ DATABASE_URL: url }) })
  const config = parseConfig(ListingsConfig, {
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    SERVICE_TOKEN: 's'.repeat(40),
    RUN_WORKERS: 'false',
    AUTH_RATE_LIMIT_MAX: '1000',
  })
  const app = await buildApp(config)
  const db = createDb<ListingsDB>({ url: databaseUrl, schema: 'listings', poolMax: 2 })
  t.teardown(async () => {
    await app.close()
    await db.destroy()
  })
  return { app, db }
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

const counts = (db: Kysely<ListingsDB>) => rowCounts(db, ['events', 'listings', 'needs', 'auditLog'])

t.test('the demo data loads once, through the service, and the demo accounts work', async (t) => {
  const { app, db } = await testApp(t)
  const lines: string[] = []
  const summary = await loadDemoData(db, (line) => lines.push(line))
  t.equal(summary.loaded, true)
  t.ok(summary.organizations >= 20, `${summary.organizations} organizations`)
  const l = summary.listings
  t.ok(l.published + l.pendingReview + l.paused + l.draft >= 80, 'at least 80 listings')
  t.ok(l.published >= 60 && l.pendingReview > 0 && l.paused > 0 && l.draft > 0, JSON.stringify(l))
  t.ok(summary.needs >= 3)
  t.match(lines.at(-1), /demo data loaded/)

  const rows = await db.selectFrom('listings').select(['kind', 'city', 'district', 'details']).execute()
  t.same([...new Set(rows.map((r) => r.city))].sort(), ['上海', '深圳', '重庆'])
  t.same([...new Set(rows.map((r) => r.kind))].sort(), ['expertise', 'venue', 'volunteer_time'])
  t.ok(new Set(rows.map((r) => r.district)).size >= 10, 'several districts')
  const pricing = rows.map((r) => r.details.pricing)
  t.ok(pricing.filter((p) => p.model === 'free').length > pricing.length / 2, 'most are free')
  t.ok(pricing.some((p) => p.model === 'fee') && pricing.some((p) => p.deposit), 'some fees and deposits')
  const published = await db.selectFrom('events').select('payload').where('type', '=', 'listing.published').execute()
  t.equal(published.length, l.published + l.paused, 'each publication reached the feed')
  const invalid = published.filter((e) => !ListingPublishedPayload.safeParse(e.payload).success)
  t.same(invalid, [], 'every snapshot is a valid ListingPublishedPayload')
  const opened = await db.selectFrom('events').select('payload').where('type', '=', 'need.opened').execute()
  t.ok(opened.length > 0 && opened.every((e) => Need.safeParse(e.payload.need).success), 'need snapshots are valid')

  const before = await counts(db)
  const again = await loadDemoData(db)
  t.equal(again.loaded, false, 'a second load does nothing')
  t.same(await counts(db), before)

  const login = async (email: string) => {
    const res = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password: DEMO_PASSWORD } })
    t.equal(res.statusCode, 200, email)
    const me = await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(res.json().accessToken) })
    return me.json()
  }
  t.equal((await login(DEMO_ACCOUNTS.moderator.email)).moderator, true)
  t.match((await login(DEMO_ACCOUNTS.provider.email)).memberships, [
    { organizationName: '陆家嘴街道党群服务中心', role: 'admin' },
  ])
  t.match((await login(DEMO_ACCOUNTS.member.email)).memberships, [
    { organizationName: '斜土街道日晖新村居民委员会', role: 'member' },
  ])
  const board = await app.inject({ method: 'GET', url: '/v1/needs' })
  t.equal(board.json().items.length, summary.needs)
})
