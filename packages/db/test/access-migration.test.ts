import { type Kysely, sql } from 'kysely'
import t from 'tap'
import { ACCESS_MIGRATION_ID, accessMigration, createDb, migrateToLatest } from '../src/index.ts'
import { feedDatabases } from './fixtures/databases.ts'

// The access tables as bookings, discovery, messaging and community each created them with their own
// migration before the DDL moved into this package: databases in the field hold exactly this shape.
const SHIPPED_SHAPE = [
  'CREATE INDEX access_members_user_idx ON access_members USING btree (user_id)',
  'CREATE UNIQUE INDEX access_members_pkey ON access_members USING btree (organization_id, user_id)',
  'CREATE UNIQUE INDEX access_organizations_pkey ON access_organizations USING btree (id)',
  'CREATE UNIQUE INDEX access_users_pkey ON access_users USING btree (user_id)',
  'access_members access_members_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES access_organizations(id) ON DELETE CASCADE',
  'access_members access_members_pkey PRIMARY KEY (organization_id, user_id)',
  "access_members access_members_role_check CHECK ((role = ANY (ARRAY['owner'::text, 'admin'::text, 'member'::text])))",
  'access_members.organization_id text NO ',
  'access_members.role text NO ',
  'access_members.user_id text NO ',
  'access_organizations access_organizations_pkey PRIMARY KEY (id)',
  'access_organizations.id text NO ',
  'access_organizations.members_version integer NO ',
  'access_users access_users_pkey PRIMARY KEY (user_id)',
  'access_users.moderator boolean NO ',
  'access_users.token_epoch integer NO ',
  'access_users.user_id text NO ',
  'access_users.version integer NO ',
]

/** Columns, constraints and indexes of the schema's access tables, with the schema's name taken out. */
async function accessShape(db: Kysely<unknown>, schema: string): Promise<string[]> {
  const { rows } = await sql<{ line: string }>`
    select table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable
      || ' ' || coalesce(column_default, '') as line
    from information_schema.columns where table_schema = ${schema} and table_name like 'access%'
    union all
    select c.conrelid::regclass::text || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid)
    from pg_constraint c join pg_namespace n on n.oid = c.connamespace
    where n.nspname = ${schema} and c.conrelid::regclass::text like '%access%' and c.contype <> 'n'
    union all
    select indexdef from pg_indexes where schemaname = ${schema} and tablename like 'access%'
    order by 1`.execute(db)
  return rows.map((r) => r.line.replaceAll(`${schema}.`, ''))
}

t.test('the shared access migration builds the tables services shipped, and leaves theirs alone', async (t) => {
  const { url } = await feedDatabases(t)
  const fresh = createDb<unknown>({ url, schema: 'svc_fresh' })
  const existing = createDb<unknown>({ url, schema: 'svc_existing' })
  t.teardown(() => Promise.all([fresh.destroy(), existing.destroy()]))

  // A schema that applied a service's own migration under the id before the move; running the shared one
  // again would fail on the tables it already has.
  await migrateToLatest(existing, { schema: 'svc_existing', migrations: { [ACCESS_MIGRATION_ID]: accessMigration } })
  await migrateToLatest(existing, { schema: 'svc_existing', migrations: { [ACCESS_MIGRATION_ID]: accessMigration } })
  await migrateToLatest(fresh, { schema: 'svc_fresh', migrations: { [ACCESS_MIGRATION_ID]: accessMigration } })

  t.same(await accessShape(fresh, 'svc_fresh'), SHIPPED_SHAPE, 'a fresh schema gets the tables services shipped')
  t.same(await accessShape(existing, 'svc_existing'), SHIPPED_SHAPE, 'a schema migrated before the move keeps them')
  for (const [db, schema] of [
    [fresh, 'svc_fresh'],
    [existing, 'svc_existing'],
  ] as const) {
    const applied = await sql<{ name: string }>`select name from ${sql.id(schema, 'kysely_migration')}`.execute(db)
    t.same(
      applied.rows.map((r) => r.name),
      ['2026-11-30T1600-access'],
      `${schema} records the migration once`,
    )
  }
})
