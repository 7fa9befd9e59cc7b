import { type Kysely, type Migration, type MigrationResultSet, Migrator, sql } from 'kysely'
import { assertSchemaName } from './database.ts'
import { kitMigrations } from './kit-migrations.ts'
import { isPgError } from './pg-errors.ts'

export type { Migration } from 'kysely'

/** Options of {@link migrateToLatest}. */
export interface MigrateOptions {
  /** The service's schema; the `db` must be one from `createDb` with the same schema. */
  schema: string
  /** The service's migrations by timestamped name; applied in name order. */
  migrations: Record<string, Migration>
}

// Two-key advisory locks live apart from kysely's one-key migration lock and from the feed consumers'.
const SCHEMA_LOCK_NAMESPACE = 0x636d6e73 // 'cmns'

/**
 * Brings a service schema up to date: creates it if missing, applies this package's own tables (the
 * outbox `events` and the consumers' `feed_cursors`, tracked in `kit_migration`), then the service's
 * migrations (tracked in `kysely_migration`), both tables in the same schema. Safe to run from several
 * replicas at once: kysely holds an advisory lock while migrating. Throws naming the failing migration.
 */
export async function migrateToLatest<DB>(db: Kysely<DB>, opts: MigrateOptions): Promise<void> {
  assertSchemaName(opts.schema)
  const raw = db as unknown as Kysely<unknown>
  // The service's migrations create unqualified names, which land in the first schema of the search_path.
  const { rows } = await sql<{ path: string }>`select current_setting('search_path') as path`.execute(raw)
  const first = rows[0]?.path.split(',')[0]?.trim().replace(/^"|"$/g, '')
  if (first !== opts.schema) {
    throw new Error(
      `The database's search_path starts with ${first ?? 'nothing'}, not ${opts.schema}: create it with createDb({ schema: '${opts.schema}' })`,
    )
  }
  await raw.transaction().execute(async (trx) => {
    // Concurrent `create schema if not exists` can still fail on the catalog's unique index; serialize it.
    await sql`select pg_advisory_xact_lock(${SCHEMA_LOCK_NAMESPACE}, hashtext(${opts.schema}))`.execute(trx)
    await sql`create schema if not exists ${sql.id(opts.schema)}`.execute(trx)
  })
  await run(
    new Migrator({
      db: raw,
      provider: { getMigrations: async () => kitMigrations(opts.schema) },
      migrationTableSchema: opts.schema,
      migrationTableName: 'kit_migration',
      migrationLockTableName: 'kit_migration_lock',
    }),
    opts.schema,
  )
  await run(
    new Migrator({
      db: raw,
      provider: { getMigrations: async () => opts.migrations },
      migrationTableSchema: opts.schema,
    }),
    opts.schema,
  )
}

/**
 * SQLSTATEs a catalog read can meet while another service changes its own schema in the same database
 * (kysely's migrator lists every table before it migrates, and a view being replaced elsewhere can vanish
 * under it): undefined column or table, internal "cache lookup failed". Retried, since the next read sees
 * the finished change; a migration runs in a transaction, so a retry never finds half of it applied.
 */
const CATALOG_RACE = ['42703', '42P01', 'XX000']
const ATTEMPTS = 5

async function run(migrator: Migrator, schema: string): Promise<void> {
  let result: MigrationResultSet = await migrator.migrateToLatest()
  for (let attempt = 1; attempt < ATTEMPTS && result.error && isPgError(result.error, CATALOG_RACE); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100 * attempt))
    result = await migrator.migrateToLatest()
  }
  if (!result.error) return
  const failed = result.results?.find((r) => r.status === 'Error')?.migrationName
  const reason = result.error instanceof Error ? result.error.message : String(result.error)
  throw new Error(
    failed
      ? `Migration ${failed} of schema ${schema} failed: ${reason}`
      : `Migrating schema ${schema} failed: ${reason}`,
    { cause: result.error },
  )
}
