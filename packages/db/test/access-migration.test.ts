import { type Kysely, type Migration, sql } from 'kysely'
import t from 'tap'
import { ACCESS_MIGRATION_ID, accessMigration, createDb, migrateToLatest } from '../src/index.ts'
import { feedDatabases } from './fixtures/databases.ts'

// What bookings, discovery, messaging and community each applied as their own migration before the DDL
// moved into this package: databases in the field hold exactly this.
const shippedAccessMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table access_organizations (
        id text primary key,
        members_version integer not null
      );
      create table access_members (
        organization_id text not null references access_organizations (id) on delete cascade,
        user_id text not null,
        role text not null check (role in ('owner', 'admin', 'member')),
        primary key (organization_id, user_id)
      );
      create index access_members_user_idx on access_members (user_id);
      create table access_users (
        user_id text primary key,
        moderator boolean not null,
        token_epoch integer not null,
        version integer not null
      );
    `.execute(db)
  },
}

/** Columns, constraints and indexes of the schema's access tables, with the schema's name taken out. */
async function accessShape(db: Kysely<unknown>, schema: string): Promise<string[]> {
  const { rows } = await sql<{ line: string }>`
    select table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable
      || ' ' || coalesce(column_default, '') as line
    from information_schema.columns where table_schema = ${schema} and table_name like 'access%'
    union all
    select c.conrelid::regclass::text || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid)
    from pg_constraint c join pg_namespace n on n.oid = c.connamespace where n.nspname = ${schema}
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

  await migrateToLatest(existing, {
    schema: 'svc_existing',
    migrations: { [ACCESS_MIGRATION_ID]: shippedAccessMigration },
  })
  await migrateToLatest(existing, { schema: 'svc_existing', migrations: { [ACCESS_MIGRATION_ID]: accessMigration } })
  await migrateToLatest(fresh, { schema: 'svc_fresh', migrations: { [ACCESS_MIGRATION_ID]: accessMigration } })

  const shape = await accessShape(fresh, 'svc_fresh')
  t.ok(
    shape.some((line) => line.includes('access_members_user_idx')),
    'the shape covers indexes',
  )
  t.ok(
    shape.some((line) => line.includes('ON DELETE CASCADE')),
    'the shape covers constraints',
  )
  t.same(await accessShape(existing, 'svc_existing'), shape, 'a schema migrated before the move has the same tables')
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
