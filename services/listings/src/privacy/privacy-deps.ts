import type { JobQueue } from '@commons/jobs'
import type { Clock } from '@commons/service-kit'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

/** Listings' jobs: closing an account once its cooling-off period is over, assembling a data export. */
export interface ListingsJobs {
  'account.close': { userId: string }
  'privacy.export': { exportId: string }
}

/** The job schema of listings. */
export const JOBS_SCHEMA = 'listings_jobs'

/** What the privacy use cases need. */
export interface PrivacyDeps {
  db: Kysely<DB>
  clock: Clock
  jobs: JobQueue<ListingsJobs>
  coolingOffDays: number
  exportLinkTtlHours: number
  /** Signs download links and authenticates the internal export calls to the other services. */
  serviceToken: string
  /** Every other service's base URL, asked for its part of an export. */
  services: Record<string, string>
}
