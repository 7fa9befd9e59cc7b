/**
 * Operators' command line: `pnpm --filter @commons/listings moderator grant|revoke <email>`.
 * Reads DATABASE_URL like the service does; each change is written to the audit log (actor: none).
 */
import { createDb } from '@commons/db'
import { AppError, loadConfig } from '@commons/service-kit'
import { migrate, SCHEMA } from './app.ts'
import { ListingsConfig } from './config.ts'
import type { DB } from './db/schema.ts'
import { systemClock } from './deps.ts'
import { setModerator } from './moderation/moderation.service.ts'

const USAGE = 'usage: moderator grant <email> | moderator revoke <email>'

const [command, verb, email] = process.argv.slice(2)
if (command !== 'moderator' || (verb !== 'grant' && verb !== 'revoke') || !email) {
  process.stderr.write(`${USAGE}\n`)
  process.exit(64) // EX_USAGE
}

const config = loadConfig(ListingsConfig.pick({ DATABASE_URL: true }), process.env)
await migrate(config)
const db = createDb<DB>({ url: config.DATABASE_URL, schema: SCHEMA, poolMax: 1, applicationName: 'listings-cli' })
try {
  const user = await setModerator({ db, clock: systemClock }, email, verb === 'grant')
  process.stdout.write(
    `${user.email} (${user.displayName}) ${verb === 'grant' ? 'is now a moderator' : 'is no longer a moderator'}; ` +
      'moderation routes check the database, so it holds at once.\n',
  )
} catch (error) {
  if (error instanceof AppError && error.code === 'user_not_found') {
    process.stderr.write(`No account with email ${email}; register it first.\n`)
    process.exitCode = 1
  } else {
    throw error
  }
} finally {
  await db.destroy()
}
