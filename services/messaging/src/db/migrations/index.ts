import { ACCESS_MIGRATION_ID, accessMigration } from '@commons/db'
import type { Migration } from 'kysely'
import * as messaging from './2026-11-30T1200-messaging.ts'
import * as listingFit from './2026-12-01T0200-listing-fit.ts'

/** The messaging schema's migrations, by name; names sort in the order they apply. */
export const migrations: Record<string, Migration> = {
  '2026-11-30T1200-messaging': messaging,
  '2026-12-01T0200-listing-fit': listingFit,
  [ACCESS_MIGRATION_ID]: accessMigration,
}
