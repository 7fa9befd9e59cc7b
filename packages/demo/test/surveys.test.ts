import { type CommunityDB, migrate as migrateCommunity } from '@commons/community'
import { createDb } from '@commons/db'
import { type ListingsDB, migrate as migrateListings } from '@commons/listings'
import { testDatabase } from '@commons/testkit'
import t from 'tap'
import { DEMO_HIERARCHY, loadDemoData, loadDemoSurveys } from '../src/index.ts'

t.test('the demo surveys and hierarchy load once, through the services’ use cases', async (t) => {
  const url = await testDatabase(t, {
    template: 'listings-community',
    prepare: async (databaseUrl) => {
      await migrateListings({ DATABASE_URL: databaseUrl })
      await migrateCommunity({ DATABASE_URL: databaseUrl })
    },
  })
  const listings = createDb<ListingsDB>({ url, schema: 'listings', poolMax: 2 })
  const community = createDb<CommunityDB>({ url, schema: 'community', poolMax: 2 })
  t.teardown(async () => {
    await listings.destroy()
    await community.destroy()
  })
  t.same(await loadDemoSurveys(listings, community), { loaded: false, surveys: 0, answers: 0 }, 'nothing before')
  await loadDemoData(listings)

  const summary = await loadDemoSurveys(listings, community)
  t.same(summary, { loaded: true, surveys: 2, answers: 320 })
  const links = await listings.selectFrom('organizationParents').select(['status']).execute()
  const expected = Object.values(DEMO_HIERARCHY).flat().length
  t.equal(links.length, expected)
  t.ok(
    links.every((l) => l.status === 'confirmed'),
    'every link is confirmed',
  )
  const surveys = await community.selectFrom('surveys').select(['status', 'opensAt', 'closesAt']).execute()
  t.equal(surveys.length, 2)
  const now = Date.now()
  t.ok(
    surveys.every((s) => s.status === 'published' && s.opensAt! < new Date(now) && s.closesAt! > new Date(now)),
    'both are published and open',
  )
  const byDistrict = await community
    .selectFrom('surveyResponses')
    .select(['district', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('district')
    .execute()
  t.ok(byDistrict.length >= 4, 'answers come from the demo districts')
  t.ok(
    byDistrict.every((row) => row.district !== null && Number(row.n) >= 5),
    'every district has enough answers to be shown beyond the organization',
  )
  const marked = await community
    .selectFrom('surveyResponses')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('enteredBy', 'is not', null)
    .executeTakeFirstOrThrow()
  t.equal(Number(marked.n), 320, 'entered by grid workers, as marked')

  t.same(await loadDemoSurveys(listings, community), { loaded: false, surveys: 0, answers: 0 }, 'once only')
})
