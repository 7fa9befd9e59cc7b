import { createDb, type Migration, migrateToLatest } from '@commons/db'
import type { Kysely } from 'kysely'
import { installJobs } from './install.ts'

/**
 * Brings a service's database up to date at start: installs (or upgrades) its job queue's tables, then
 * applies its schema's migrations over a one-connection pool, and runs `after` (say, adopting work from
 * an older layout) on that pool before closing it.
 */
export async function migrateService(opts: {
  url: string
  schema: string
  jobsSchema: string
  migrations: Record<string, Migration>
  after?: (db: Kysely<unknown>) => Promise<unknown>
}): Promise<void> {
  await installJobs({ url: opts.url, schema: opts.jobsSchema })
  const db = createDb<unknown>({ url: opts.url, schema: opts.schema, poolMax: 1 })
  try {
    await migrateToLatest(db, { schema: opts.schema, migrations: opts.migrations })
    await opts.after?.(db)
  } finally {
    await db.destroy()
  }
}
