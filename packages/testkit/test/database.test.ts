import t from 'tap'
import { getStack, testDatabase } from '../src/index.ts'
import { preparedCount, prepareTemplate, TEMPLATE, withDb } from './fixtures/prepare.ts'

const options = { template: TEMPLATE, prepare: prepareTemplate }

t.test('two test databases are isolated from each other', async (t) => {
  const a = await testDatabase(t, options)
  const b = await testDatabase(t, options)
  t.not(a, b)
  await withDb(a, (db) => db.query(`INSERT INTO items VALUES ('only in a')`))
  const inA = await withDb(a, (db) => db.query('SELECT name FROM items'))
  const inB = await withDb(b, (db) => db.query('SELECT name FROM items'))
  t.same(
    inA.rows.map((r) => r.name),
    ['only in a'],
  )
  t.same(inB.rows, [])
})

t.test('btree_gist exclusion constraints work in a test database', async (t) => {
  const url = await testDatabase(t, options)
  await withDb(url, async (db) => {
    await db.query(`CREATE TABLE slots (
      listing int NOT NULL,
      during tstzrange NOT NULL,
      EXCLUDE USING gist (listing WITH =, during WITH &&)
    )`)
    await db.query(`INSERT INTO slots VALUES (1, '[2026-01-01 10:00+08, 2026-01-01 11:00+08)')`)
    await db.query(`INSERT INTO slots VALUES (2, '[2026-01-01 10:00+08, 2026-01-01 11:00+08)')`)
    await db.query(`INSERT INTO slots VALUES (1, '[2026-01-01 11:00+08, 2026-01-01 12:00+08)')`)
    await t.rejects(db.query(`INSERT INTO slots VALUES (1, '[2026-01-01 10:30+08, 2026-01-01 11:30+08)')`), {
      code: '23P01',
    })
  })
})

t.test('the template is prepared once per run and cloned for every database', async (t) => {
  const first = await testDatabase(t, options)
  const second = await testDatabase(t, options)
  for (const url of [first, second]) {
    const rows = await withDb(url, (db) => db.query('SELECT count(*)::int AS n FROM prepared'))
    t.equal(rows.rows[0].n, 1, 'the clone holds what prepare wrote, once')
  }
  t.equal(await preparedCount(), 1, 'prepare ran once for this template in this run')
})

t.test('a test database is dropped when its test ends', async (t) => {
  let url = ''
  await t.test('uses a database', async (t) => {
    url = await testDatabase(t, options)
    await withDb(url, (db) => db.query('SELECT 1'))
  })
  const name = decodeURIComponent(new URL(url).pathname.slice(1))
  const { databaseUrl } = await getStack()
  const found = await withDb(databaseUrl, (db) => db.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]))
  t.equal(found.rowCount, 0)
})
