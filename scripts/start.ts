/**
 * `pnpm start`: the whole marketplace on one machine. Starts embedded Postgres and Meilisearch (unless
 * DATABASE_URL / MEILI_URL are given), every service as a child process with prefixed logs, waits until
 * each answers /ready, and stops everything on Ctrl-C or SIGTERM.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_PORTS, SERVICES } from '@commons/contracts'
import { createDb } from '@commons/db'
import { DEMO_ACCOUNTS, DEMO_PASSWORD, loadDemoData } from '@commons/demo'
import { DEFAULT_DATA_DIR, DEFAULT_MEILI_PORT, DEFAULT_PG_PORT, ensureStack } from '@commons/infra'
import { type ListingsDB, SCHEMA } from '@commons/listings'
import { ensureUiBuilt, uiBuildIsStale } from '@commons/web'
import { z } from 'zod'
import { REPO_ROOT } from './lib/paths.ts'
import { ProcessGroup, waitForOk } from './lib/processes.ts'

const StartConfig = z.object({
  DATA_DIR: z.string().default(DEFAULT_DATA_DIR),
  DATABASE_URL: z.string().optional(),
  MEILI_URL: z.string().optional(),
  MEILI_MASTER_KEY: z.string().optional(),
  PG_PORT: z.coerce.number().int().default(DEFAULT_PG_PORT),
  MEILI_PORT: z.coerce.number().int().default(DEFAULT_MEILI_PORT),
  LOG_LEVEL: z.string().default('info'),
  READY_TIMEOUT_SECONDS: z.coerce.number().positive().default(120),
  WEB_PORT: z.coerce.number().int().default(DEFAULT_PORTS.web),
  LISTINGS_PORT: z.coerce.number().int().default(DEFAULT_PORTS.listings),
  DISCOVERY_PORT: z.coerce.number().int().default(DEFAULT_PORTS.discovery),
  BOOKINGS_PORT: z.coerce.number().int().default(DEFAULT_PORTS.bookings),
  /** Load the Chinese demo marketplace on first start (once: it notices when it is there). */
  DEMO_DATA: z.stringbool().default(true),
})

const started = Date.now()
const config = StartConfig.parse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v)))
mkdirSync(config.DATA_DIR, { recursive: true })
const log = (line: string) => process.stdout.write(`\x1b[2mstart    |\x1b[0m ${line}\n`)

let shuttingDown = false
const group = new ProcessGroup((name, code) => {
  log(`${name} exited unexpectedly (code ${code}); stopping everything`)
  void shutdown(1)
})

if (uiBuildIsStale()) {
  log('building the web UI (services/web/ui)')
  await ensureUiBuilt()
}

const stack = await ensureStack({
  dataDir: config.DATA_DIR,
  pgPort: config.PG_PORT,
  meiliPort: config.MEILI_PORT,
  databaseUrl: config.DATABASE_URL,
  meiliUrl: config.MEILI_URL,
  meiliKey: config.MEILI_MASTER_KEY,
  log: (line) => log(line),
})

async function shutdown(code: number) {
  if (shuttingDown) return
  shuttingDown = true
  log('stopping services')
  await group.stopAll()
  log('stopping databases')
  await stack.stop()
  process.exit(code)
}
process.on('SIGINT', () => void shutdown(0))
process.on('SIGTERM', () => void shutdown(0))

const serviceToken = readOrCreateSecret(join(config.DATA_DIR, 'service-token'))
const ports: Record<keyof typeof DEFAULT_PORTS, number> = {
  web: config.WEB_PORT,
  listings: config.LISTINGS_PORT,
  discovery: config.DISCOVERY_PORT,
  bookings: config.BOOKINGS_PORT,
}
const urlOf = (name: keyof typeof DEFAULT_PORTS) => `http://127.0.0.1:${ports[name]}`
const env = {
  ...process.env,
  NODE_ENV: 'development',
  LOG_LEVEL: config.LOG_LEVEL,
  DATABASE_URL: stack.databaseUrl,
  MEILI_URL: stack.meiliUrl,
  MEILI_MASTER_KEY: stack.meiliKey,
  SERVICE_TOKEN: serviceToken,
  DATA_DIR: config.DATA_DIR,
  LISTINGS_URL: urlOf('listings'),
  DISCOVERY_URL: urlOf('discovery'),
  BOOKINGS_URL: urlOf('bookings'),
  JWKS_URL: `${urlOf('listings')}/.well-known/jwks.json`,
}

for (const service of [...SERVICES, 'web'] as const) {
  group.run(
    service,
    process.execPath,
    ['--import', 'tsx', '--conditions=development', join('services', service, 'src', 'server.ts')],
    { ...env, PORT: String(ports[service]) },
    REPO_ROOT,
  )
}

try {
  await Promise.all(
    [...SERVICES, 'web' as const].map((s) =>
      waitForOk(`${urlOf(s)}/ready`, config.READY_TIMEOUT_SECONDS * 1000, () => shuttingDown),
    ),
  )
} catch (error) {
  log(String((error as Error).message))
  await shutdown(1)
}

// Demo data goes in through the listings service's own use cases, after it has migrated its schema.
if (config.DEMO_DATA) {
  const demoDb = createDb<ListingsDB>({ url: stack.databaseUrl, schema: SCHEMA, poolMax: 2, applicationName: 'demo' })
  try {
    await loadDemoData(demoDb, log)
  } catch (error) {
    log(`demo data failed to load: ${(error as Error).message}`)
  } finally {
    await demoDb.destroy()
  }
}

const web = `http://localhost:${ports.web}`
log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`)
log('')
log(`  Commons 共享资源超市   ${web}`)
log(`  API reference          ${web}/docs`)
log(`  OpenAPI document       ${web}/openapi.json`)
log(`  services               ${SERVICES.map((s) => `${s} ${urlOf(s)}`).join(', ')}`)
log(`  Postgres               ${stack.databaseUrl.replace(/\/\/[^@]*@/, '//')}`)
log(`  Meilisearch            ${stack.meiliUrl}`)
log('')
if (config.DEMO_DATA) {
  log(`  Demo accounts (password ${DEMO_PASSWORD}):`)
  for (const account of Object.values(DEMO_ACCOUNTS)) log(`    ${account.email.padEnd(28)} ${account.role}`)
  log('')
}
log('Press Ctrl-C to stop everything.')

/** A random secret kept in a file of its own (mode 0600), made on first start and reused after. */
function readOrCreateSecret(path: string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim()
  const secret = randomBytes(32).toString('base64url')
  writeFileSync(path, `${secret}\n`, { mode: 0o600 })
  return secret
}
