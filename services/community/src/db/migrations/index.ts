import { ACCESS_MIGRATION_ID, accessMigration } from '@commons/db'
import type { Migration } from 'kysely'
import * as community from './2026-11-30T1200-community.ts'
import * as activities from './2026-11-30T1300-activities.ts'
import * as evaluations from './2026-11-30T1400-evaluations.ts'

import * as surveys from './2026-11-30T1400-surveys.ts'
import * as overview from './2026-11-30T1500-overview.ts'
import * as scorecardMarks from './2026-11-30T1700-scorecard-marks.ts'

/** The community schema's migrations, by name; names sort in the order they apply. */
export const migrations: Record<string, Migration> = {
  '2026-11-30T1200-community': community,
  '2026-11-30T1300-activities': activities,
  '2026-11-30T1400-evaluations': evaluations,

  '2026-11-30T1400-surveys': surveys,
  '2026-11-30T1500-overview': overview,
  [ACCESS_MIGRATION_ID]: accessMigration,
  '2026-11-30T1700-scorecard-marks': scorecardMarks,
}
