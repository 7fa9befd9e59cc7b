import { type Kysely, type Migration, sql } from 'kysely'
import t from 'tap'
import { createDb, migrateToLatest } from '../src/index.ts'
import { feedDatabases } from './fixtures/databases.ts'

const widgets: Record<string, Migration> = {
  '2026-11-21T1000-widgets': {
    async up(db) {
      await db.schema
        .createTable('widgets')
        .addColumn('id', 'integer', (col) => col.primaryKey())
        .execute()
    },
  },
}

const tablesBySchema = async (db: Kysely<unknown>) => {
  const { rows } = await sql<{ schema: string; table: string }>`
    select table_schema as schema, table_name as table from information_schema.tables
    where table_schema not in ('pg_catalog', 'information_schema') order by 1, 2`.execute(db)
  return rows.map((r) => `${r.schema}.${r.table}`)
}

t.test('migrateToLatest creates the schema and its tables there only, and is idempotent', async (t) => {
  const { url } = await feedDatabases(t)
  const db = createDb<unknown>({ url, schema: 'svc_widgets' })
  t.teardown(() => db.destroy())
  const before = await tablesBySchema(db)

  await migrateToLatest(db, { schema: 'svc_widgets', migrations: widgets })
  await migrateToLatest(db, { schema: 'svc_widgets', migrations: widgets })

  const added = (await tablesBySchema(db)).filter((name) => !before.includes(name))
  t.same(added, [
    'svc_widgets.events',
    'svc_widgets.feed_cursors',
    'svc_widgets.kit_migration',
    'svc_widgets.kit_migration_lock',
    'svc_widgets.kysely_migration',
    'svc_widgets.kysely_migration_lock',
    'svc_widgets.widgets',
  ])
  const applied = await sql<{ name: string }>`select name from svc_widgets.kysely_migration`.execute(db)
  t.same(
    applied.rows.map((r) => r.name),
    ['2026-11-21T1000-widgets'],
    'the second run applied nothing again',
  )
})

t.test('replicas migrating at the same time apply each migration once', async (t) => {
  const { url } = await feedDatabases(t)
  const replicas = [0, 1, 2].map(() => createDb<unknown>({ url, schema: 'svc_race' }))
  t.teardown(() => Promise.all(replicas.map((db) => db.destroy())))
  await Promise.all(replicas.map((db) => migrateToLatest(db, { schema: 'svc_race', migrations: widgets })))
  const applied = await sql<{ name: string }>`select name from svc_race.kysely_migration`.execute(replicas[0]!)
  t.equal(applied.rows.length, 1)
})

t.test('a failing migration is named in the error and leaves nothing behind', async (t) => {
  const { url } = await feedDatabases(t)
  const db = createDb<unknown>({ url, schema: 'svc_broken' })
  t.teardown(() => db.destroy())
  const broken: Record<string, Migration> = {
    ...widgets,
    '2026-11-21T1100-broken': {
      async up(db) {
        await sql`alter table widgets add column oops no_such_type`.execute(db)
      },
    },
  }
  await t.rejects(
    migrateToLatest(db, { schema: 'svc_broken', migrations: broken }),
    /Migration 2026-11-21T1100-broken of schema svc_broken failed: type "no_such_type" does not exist/,
  )
  const applied = await sql<{ name: string }>`select name from svc_broken.kysely_migration`.execute(db)
  t.same(applied.rows, [], "the service's migrations run in one transaction: the earlier one rolled back too")
})

t.test('a database whose search_path is another schema is refused', async (t) => {
  const { url } = await feedDatabases(t)
  const db = createDb<unknown>({ url, schema: 'svc_one' })
  t.teardown(() => db.destroy())
  await t.rejects(migrateToLatest(db, { schema: 'svc_two', migrations: widgets }), /search_path starts with svc_one/)
  const schemas = await sql`select 1 from pg_namespace where nspname in ('svc_one', 'svc_two')`.execute(db)
  t.equal(schemas.rows.length, 0, 'nothing was created')
})

t.test('a catalog read that meets another schema changing under it is retried, not fatal', async (t) => {
  // At a first start every service migrates at once; a column vanishing under a catalog read (another
  // service replacing a view) used to end the service with a stack trace.
  const { url } = await feedDatabases(t)
  const db = createDb<unknown>({ url, schema: 'svc_retry' })
  t.teardown(() => db.destroy())
  let calls = 0
  const flaky: Record<string, Migration> = {
    ...widgets,
    '2026-11-21T1100-flaky': {
      async up(db) {
        calls += 1
        // 42703 (undefined column) the first time, as the race raises it; fine the second time.
        if (calls === 1) await sql`select vanished_column from widgets`.execute(db)
        await sql`alter table widgets add column label text`.execute(db)
      },
    },
  }
  await migrateToLatest(db, { schema: 'svc_retry', migrations: flaky })
  t.equal(calls, 2)
  const applied = await sql<{ name: string }>`select name from svc_retry.kysely_migration order by name`.execute(db)
  t.same(
    applied.rows.map((r) => r.name),
    ['2026-11-21T1000-widgets', '2026-11-21T1100-flaky'],
  )
})

t.test('an error that is not a catalog race is not retried', async (t) => {
  const { url } = await feedDatabases(t)
  const db = createDb<unknown>({ url, schema: 'svc_once' })
  t.teardown(() => db.destroy())
  let calls = 0
  const broken: Record<string, Migration> = {
    '2026-11-21T1000-broken': {
      async up(db) {
        calls += 1
        await sql`select 1 / 0`.execute(db)
      },
    },
  }
  await t.rejects(migrateToLatest(db, { schema: 'svc_once', migrations: broken }), /division by zero/)
  t.equal(calls, 1)
})
