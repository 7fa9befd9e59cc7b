import { ACCESS_MIGRATION_ID, accessMigration } from '@commons/db'
import type { Migration } from 'kysely'
import * as discovery from './2026-11-21T1100-discovery.ts'
import * as activities from './2026-11-30T1600-activities.ts'

/** The discovery schema's migrations, by name; names sort in the order they apply. */
export const migrations: Record<string, Migration> = {
  '2026-11-21T1100-discovery': discovery,
  '2026-11-30T1600-activities': activities,

  [ACCESS_MIGRATION_ID]: accessMigration,
}
