import { runMigrations } from 'graphile-worker'
import pg from 'pg'
import { type JobsLog, workerLogger } from './log.ts'
import { assertJobsSchema } from './queue.ts'

/**
 * Installs or upgrades graphile-worker's tables and functions in `schema` (created if missing). Call it
 * from the service's `migrate()`; safe from several replicas at once (the library detects a concurrent
 * migration and skips it).
 */
export async function installJobs(opts: { url: string; schema: string; log?: JobsLog }): Promise<void> {
  assertJobsSchema(opts.schema)
  // The library ends a pool it made itself without waiting, and a pool's end() resolves before its
  // connections have closed, so either way one could outlive this call (and be cut by whoever drops or
  // templates the database next): the install gets a pool of ours, and each connection is awaited closed.
  const pool = new pg.Pool({ connectionString: opts.url, max: 1 })
  const closed: Promise<void>[] = []
  // A connection lost mid-migration fails the migration's query, which rejects this call; the listeners
  // only keep the same error from also being thrown as an uncaught 'error' event.
  pool.on('error', () => {})
  pool.on('connect', (client) => {
    client.on('error', () => {})
    closed.push(new Promise((resolve) => client.once('end', resolve)))
  })
  try {
    await runMigrations({ pgPool: pool, schema: opts.schema, logger: workerLogger(opts.log, { jobs: opts.schema }) })
  } finally {
    await pool.end()
    await Promise.all(closed)
  }
}
