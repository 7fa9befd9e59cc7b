/**
 * Operators' command line: `pnpm --filter @commons/bookings jobs list|retry`, the dead jobs of the bookings
 * queue (timers, rating windows). Reads DATABASE_URL like the service does.
 */
import { createDb } from '@commons/db'
import { defineJobQueue, JOBS_USAGE, runJobsCommand } from '@commons/jobs'
import { DataServiceConfig, loadConfig } from '@commons/service-kit'
import { migrate, SCHEMA } from './app.ts'
import type { DB } from './db/schema.ts'
import { JOBS_SCHEMA } from './jobs/booking-jobs.ts'

const [command, ...args] = process.argv.slice(2)
if (command !== 'jobs') {
  process.stderr.write(`usage: ${JOBS_USAGE}\n`)
  process.exit(64) // EX_USAGE
}

const config = loadConfig(DataServiceConfig.pick({ DATABASE_URL: true }), process.env)
await migrate(config)
const db = createDb<DB>({ url: config.DATABASE_URL, schema: SCHEMA, poolMax: 1, applicationName: 'bookings-cli' })
try {
  process.exitCode = await runJobsCommand(args, {
    db,
    queue: defineJobQueue({ schema: JOBS_SCHEMA }),
    out: process.stdout,
    err: process.stderr,
  })
} finally {
  await db.destroy()
}
