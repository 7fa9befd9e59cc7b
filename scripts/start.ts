/**
 * `pnpm start`: the whole marketplace on one machine. Starts embedded Postgres and Meilisearch (unless
 * DATABASE_URL / MEILI_URL are given) and every service as a child process with prefixed logs, keeps them
 * running (a process that exits is started again, with backoff), waits until each answers /ready, and on
 * Ctrl-C or SIGTERM stops the services first, then the servers; a second Ctrl-C ends everything at once.
 * The current pids are kept in `<DATA_DIR>/processes.json` for operators and the fault suite.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SCHEMA as COMMUNITY_SCHEMA, type CommunityDB } from '@commons/community'
import { DEFAULT_PORTS, SERVICES } from '@commons/contracts'
import { createDb } from '@commons/db'
import {
  DEMO_ACCOUNTS,
  DEMO_PASSWORD,
  loadDemoActivities,
  loadDemoConversations,
  loadDemoData,
  loadDemoSurveys,
} from '@commons/demo'
import {
  DEFAULT_DATA_DIR,
  DEFAULT_MEILI_PORT,
  DEFAULT_PG_PORT,
  type MeilisearchServer,
  type PostgresServer,
  startMeilisearch,
  startPostgres,
} from '@commons/infra'
import { createPhotoStorage, type ListingsDB, SCHEMA, systemClock } from '@commons/listings'
import { ensureUiBuilt, uiBuildIsStale } from '@commons/web'
import { z } from 'zod'
import { REPO_ROOT } from './lib/paths.ts'
import { formatLogLine, startProcess, waitForOk } from './lib/processes.ts'
import { Supervisor } from './lib/supervisor.ts'

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
  MESSAGING_PORT: z.coerce.number().int().default(DEFAULT_PORTS.messaging),
  COMMUNITY_PORT: z.coerce.number().int().default(DEFAULT_PORTS.community),
  /** Load the Chinese demo marketplace on first start (once: it notices when it is there). */
  DEMO_DATA: z.stringbool().default(true),
})

const started = Date.now()
const config = StartConfig.parse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v)))
mkdirSync(config.DATA_DIR, { recursive: true })
const log = (line: string) => process.stdout.write(`\x1b[2mstart    |\x1b[0m ${line}\n`)
const stacks = ['debug', 'trace'].includes(config.LOG_LEVEL)

// The root devDependency `node` puts Node 24 first on the PATH of every pnpm script; run directly with an
// older Node, say so rather than fail later on something Node 24 has.
const nodeMajor = Number(process.versions.node.split('.')[0])
log(`Node ${process.version}${nodeMajor === 24 ? '' : ' (expected 24: start through `pnpm start`, which brings it)'}`)

const SERVERS = ['postgres', 'meilisearch'] as const
const NAMES = [...SERVICES, 'web'] as const
const stateFile = join(config.DATA_DIR, 'processes.json')
const supervisor = new Supervisor(log, (units) =>
  writeFileSync(stateFile, `${JSON.stringify({ supervisor: process.pid, units }, null, 2)}\n`),
)

let shuttingDown = false
let interruptedAt = 0
async function shutdown(code: number) {
  if (shuttingDown) return
  shuttingDown = true
  log('stopping services')
  await supervisor.stop([...NAMES])
  log('stopping Postgres and Meilisearch')
  await supervisor.stop([...SERVERS])
  rmSync(stateFile, { force: true })
  log('stopped')
  process.exit(code)
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    // One Ctrl-C can arrive more than once (the terminal signals the whole group and wrappers such as pnpm
    // and tsx pass it on): only a signal a second later means "stop waiting".
    if (interruptedAt && Date.now() - interruptedAt < 1000) return
    if (interruptedAt) {
      log(`${signal} again: ending everything now`)
      supervisor.kill()
      process.exit(130)
    }
    interruptedAt = Date.now()
    void shutdown(0)
  })
}

/** Ends the start after a failure: one line for the operator, then everything started so far is stopped. */
async function fail(message: string): Promise<never> {
  if (!shuttingDown) {
    log(message)
    await shutdown(1)
  }
  // A signal already started the shutdown, which ends the process.
  return new Promise<never>(() => {})
}

if (uiBuildIsStale()) {
  log('building the web UI (services/web/ui)')
  await ensureUiBuilt()
}

// Only what matters reaches the terminal: startup errors carry the servers' last lines anyway.
// Connections refused or ended while the server stops, starts or recovers are the clients' business (they
// retry); what is left of FATAL and PANIC is about the server itself.
const CLIENT_NOISE =
  /database system is (shutting down|starting up|in recovery mode|not yet accepting)|terminating connection/
const pgLog = (line: string) => {
  if ((/\b(FATAL|PANIC):/.test(line) && !CLIENT_NOISE.test(line)) || line.includes('cannot traverse')) {
    log(`postgres: ${line}`)
  }
}
const meiliLog = (line: string) => {
  if (/\bERROR\b/.test(line)) log(`meilisearch: ${line}`)
}
const [pg, meili] = await Promise.all([
  config.DATABASE_URL
    ? undefined
    : supervisor.add({
        name: 'postgres',
        start: () => startPostgres({ dataDir: config.DATA_DIR, port: config.PG_PORT, log: pgLog }),
      }),
  config.MEILI_URL
    ? undefined
    : supervisor.add({
        name: 'meilisearch',
        start: () => startMeilisearch({ dataDir: config.DATA_DIR, port: config.MEILI_PORT, log: meiliLog }),
      }),
]).catch((error: Error) => fail(error.message))
const databaseUrl = (pg as PostgresServer | undefined)?.url ?? (config.DATABASE_URL as string)
const meiliUrl = (meili as MeilisearchServer | undefined)?.url ?? (config.MEILI_URL as string)
const meiliKey = (meili as MeilisearchServer | undefined)?.masterKey ?? config.MEILI_MASTER_KEY ?? ''

const serviceToken = readOrCreateSecret(join(config.DATA_DIR, 'service-token'))
const ports: Record<keyof typeof DEFAULT_PORTS, number> = {
  web: config.WEB_PORT,
  listings: config.LISTINGS_PORT,
  discovery: config.DISCOVERY_PORT,
  bookings: config.BOOKINGS_PORT,
  messaging: config.MESSAGING_PORT,
  community: config.COMMUNITY_PORT,
}
const urlOf = (name: keyof typeof DEFAULT_PORTS) => `http://127.0.0.1:${ports[name]}`
const env = {
  ...process.env,
  NODE_ENV: 'development',
  LOG_LEVEL: config.LOG_LEVEL,
  DATABASE_URL: databaseUrl,
  MEILI_URL: meiliUrl,
  MEILI_MASTER_KEY: meiliKey,
  SERVICE_TOKEN: serviceToken,
  DATA_DIR: config.DATA_DIR,
  LISTINGS_URL: urlOf('listings'),
  DISCOVERY_URL: urlOf('discovery'),
  BOOKINGS_URL: urlOf('bookings'),
  MESSAGING_URL: urlOf('messaging'),
  PUBLIC_URL: `http://localhost:${ports.web}`,
  COMMUNITY_URL: urlOf('community'),
  JWKS_URL: `${urlOf('listings')}/.well-known/jwks.json`,
}

const COLORS = [36, 35, 33, 32, 34, 91]
await Promise.all(
  NAMES.map((service, i) => {
    const prefix = `\x1b[${COLORS[i % COLORS.length]}m${service.padEnd(9)}|\x1b[0m `
    return supervisor.add({
      name: service,
      start: () =>
        startProcess({
          name: service,
          command: process.execPath,
          args: ['--import', 'tsx', '--conditions=development', join('services', service, 'src', 'server.ts')],
          env: { ...env, PORT: String(ports[service]) },
          cwd: REPO_ROOT,
          onLine: (line) => process.stdout.write(`${prefix}${formatLogLine(line, { stacks })}\n`),
        }),
    })
  }),
).catch((error: Error) => fail(error.message))

// One line per service, when it answers /ready.
await Promise.all(
  NAMES.map(async (service) => {
    await waitForOk(`${urlOf(service)}/ready`, config.READY_TIMEOUT_SECONDS * 1000, () => shuttingDown)
    if (!shuttingDown) log(`${service.padEnd(9)} ready (${((Date.now() - started) / 1000).toFixed(1)} s)`)
  }),
).catch((error: Error) => fail(error.message))

// Demo data goes in through the services' own use cases, once each has migrated its schema (all are ready by
// now): the listings side first, then activities, surveys and the hierarchy once the demo organizations
// reached community's replica.
if (config.DEMO_DATA) {
  const demoDb = createDb<ListingsDB>({ url: databaseUrl, schema: SCHEMA, poolMax: 2, applicationName: 'demo' })
  const communityDb = createDb<CommunityDB>({
    url: databaseUrl,
    schema: COMMUNITY_SCHEMA,
    poolMax: 2,
    applicationName: 'demo',
  })
  let fresh = false
  try {
    fresh = (
      await loadDemoData(
        demoDb,
        log,
        systemClock,
        createPhotoStorage({
          DATA_DIR: config.DATA_DIR,
          PHOTOS_S3_REGION: 'us-east-1',
          PHOTOS_S3_FORCE_PATH_STYLE: false,
          PHOTOS_S3_PREFIX: 'photos/',
        }),
      )
    ).loaded
    await loadDemoActivities(communityDb, demoDb, log)
    await loadDemoSurveys(demoDb, communityDb)
  } catch (error) {
    log(`demo data failed to load: ${(error as Error).message}`)
  } finally {
    await Promise.all([demoDb.destroy(), communityDb.destroy()])
  }
  // Bookings and conversations of the demo accounts, through the public API (they span three services).
  if (fresh) {
    await loadDemoConversations(urlOf('web'), log).catch((error: Error) =>
      log(`demo conversations failed to load: ${error.message}`),
    )
  }
}

const web = `http://localhost:${ports.web}`
log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`)
log('')
log(`  Commons 共享资源超市   ${web}`)
log(`  API reference          ${web}/docs`)
log(`  OpenAPI document       ${web}/openapi.json`)
log(`  services               ${SERVICES.map((s) => `${s} ${urlOf(s)}`).join(', ')}`)
log(`  Postgres               ${databaseUrl.replace(/\/\/[^@]*@/, '//')}`)
log(`  Meilisearch            ${meiliUrl}`)
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
