import { runMigrations } from 'graphile-worker'
import { type JobsLog, workerLogger } from './log.ts'
import { assertJobsSchema } from './queue.ts'

/**
 * Installs or upgrades graphile-worker's tables and functions in `schema` (created if missing). Call it
 * from the service's `migrate()`; safe from several replicas at once (the library detects a concurrent
 * migration and skips it).
 */
export async function installJobs(opts: { url: string; schema: string; log?: JobsLog }): Promise<void> {
  assertJobsSchema(opts.schema)
  await runMigrations({
    connectionString: opts.url,
    schema: opts.schema,
    maxPoolSize: 1,
    logger: workerLogger(opts.log, { jobs: opts.schema }),
  })
}
