/**
 * `pnpm test:faults`: starts the stack as `pnpm start` does (supervised, embedded Postgres and Meilisearch,
 * free ports, a throwaway data folder) and, under a steady load of reads and writes through the public
 * API, kills each service with SIGKILL, terminates every Postgres backend, stops Postgres, kills
 * Meilisearch, and finally sends SIGINT to the whole process group, as a terminal's Ctrl-C does. It prints
 * one row per fault (5xx answers seen and their codes, time to recover) and fails when an acknowledged
 * write is missing, a booking slot is held twice, the search index differs from Postgres after
 * convergence, a process other than the one hit exited, or anything still listens after the stop.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { freePorts, guardDirectory } from '@commons/infra'
import { REPO_ROOT } from '../lib/paths.ts'
import { call, expect, waitFor } from './api.ts'
import { indexDifferences, missingWrites, slotsHeldTwice, terminateBackends } from './checks.ts'
import { type Actors, Load, venueBody } from './load.ts'
import { errorsIn, formatTable, type Row } from './report.ts'

// Under five minutes on a machine of its own; FAULTS_TIMEOUT_SECONDS stretches the bound where other work
// shares the cores (every restart then takes longer).
const SUITE_TIMEOUT_MS = Number(process.env.FAULTS_TIMEOUT_SECONDS || 290) * 1000
const RECOVERY_TIMEOUT_MS = 90_000
const SERVICES = ['listings', 'discovery', 'bookings', 'web'] as const
const SERVERS = ['postgres', 'meilisearch'] as const
type Unit = (typeof SERVICES)[number] | (typeof SERVERS)[number]

const started = Date.now()
const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR
const say = (line: string) =>
  process.stdout.write(`${color ? '\x1b[2m' : ''}faults | ${color ? '\x1b[0m' : ''}${line}\n`)
const problems: string[] = []
const rows: Row[] = []

const dataDir = await mkdtemp(path.join(tmpdir(), 'commons-faults-'))
const keepDir = guardDirectory(dataDir)
const [web, listings, discovery, bookings, pgPort, meiliPort, messaging, community] = (await freePorts(
  8,
)) as number[] as [number, number, number, number, number, number, number, number]
const ports = { web, listings, discovery, bookings, postgres: pgPort, meilisearch: meiliPort }
const base = `http://127.0.0.1:${web}`
const databaseUrl = `postgres://commons:commons@127.0.0.1:${pgPort}/commons`

// Its own process group, like a terminal's foreground job: the last fault signals the whole group.
const stack: ChildProcess = spawn(
  process.execPath,
  ['--import', 'tsx', '--conditions=development', 'scripts/start.ts'],
  {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'info',
      NO_COLOR: '1',
      WEB_PORT: String(web),
      LISTINGS_PORT: String(listings),
      DISCOVERY_PORT: String(discovery),
      BOOKINGS_PORT: String(bookings),
      MESSAGING_PORT: String(messaging),

      // Not under fault injection (yet), but started by the stack: a free port keeps it off 4105.
      COMMUNITY_PORT: String(community),
      PG_PORT: String(pgPort),
      MEILI_PORT: String(meiliPort),
    },
  },
)
const output: string[] = []
const exits: { at: number; unit: string }[] = []
let stackExit: { code: number | null; signal: NodeJS.Signals | null } | undefined
const stackExited = new Promise<void>((resolve) =>
  stack.once('exit', (code, signal) => {
    stackExit = { code, signal }
    resolve()
  }),
)
for (const stream of [stack.stdout, stack.stderr]) {
  let pending = ''
  stream?.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8')
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    for (const raw of lines) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strips colours
      const line = raw.replace(/\u001b\[[0-9;]*m/g, '')
      output.push(line)
      const exit = /^start\s+\| (\S+) exited \(/.exec(line)
      if (exit?.[1]) exits.push({ at: Date.now(), unit: exit[1] })
    }
  })
}

const timeout = setTimeout(() => {
  problems.push(`the suite did not finish within ${SUITE_TIMEOUT_MS / 1000} s`)
  void finish()
}, SUITE_TIMEOUT_MS)

let lastPids: Record<string, number> = {}
async function pids(): Promise<Record<string, number>> {
  try {
    const state = JSON.parse(await readFile(path.join(dataDir, 'processes.json'), 'utf8')) as {
      units: Record<string, number>
    }
    lastPids = { ...lastPids, ...state.units }
    return state.units
  } catch {
    return {}
  }
}

const isListening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function allReady(): Promise<boolean> {
  const answers = await Promise.all(
    SERVICES.map((s) => fetch(`http://127.0.0.1:${ports[s]}/ready`, { signal: AbortSignal.timeout(3000) })),
  )
  return answers.every((res) => res.ok)
}

/** A read and a write through the entry point both succeed. */
async function serving(actors: Actors): Promise<boolean> {
  const [read, write] = await Promise.all([
    call(base, 'GET', `/v1/search?q=${encodeURIComponent('会议室')}`, { timeoutMs: 5000 }),
    call(base, 'POST', `/v1/organizations/${actors.providerOrgId}/listings`, {
      token: actors.providerToken,
      body: venueBody('恢复探测'),
      timeoutMs: 5000,
    }),
  ])
  return read.status === 200 && write.status === 201
}

let finishing = false
async function finish(): Promise<never> {
  if (finishing) return new Promise<never>(() => {})
  finishing = true
  clearTimeout(timeout)
  if (!stackExit) {
    try {
      process.kill(-(stack.pid as number), 'SIGKILL')
    } catch {}
    for (const pid of Object.values(lastPids)) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {}
    }
  }
  if (rows.length > 0) process.stdout.write(formatTable(rows))
  if (problems.length > 0) {
    process.stdout.write(`\nlast output of pnpm start:\n${output.slice(-40).join('\n')}\n`)
    process.stdout.write(`\n${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}\n`)
  }
  await rm(dataDir, { recursive: true, force: true }).catch(() => {})
  keepDir()
  process.stdout.write(
    `finished in ${((Date.now() - started) / 1000).toFixed(0)} s: ${problems.length === 0 ? 'passed' : 'FAILED'}\n`,
  )
  process.exit(problems.length === 0 ? 0 : 1)
}

/** Runs one fault under load and records its row; `victim` is the unit whose exit the fault causes. */
async function fault(
  name: string,
  victim: Unit | undefined,
  inject: () => Promise<void>,
  actors: Actors,
  load: Load,
): Promise<void> {
  const before = await pids()
  const from = Date.now()
  const firstSample = load.samples.length
  await inject()
  const recovered = await waitFor(
    async () => {
      const now = await pids()
      if (victim && (!now[victim] || now[victim] === before[victim])) return false
      return (await allReady()) && (await serving(actors))
    },
    RECOVERY_TIMEOUT_MS,
    250,
  )
  const recoveredMs = recovered ? Date.now() - from : undefined
  // A little steady load after recovery belongs to the fault: late errors show there.
  await new Promise((resolve) => setTimeout(resolve, 2000))
  const samples = load.samples.slice(firstSample)
  const crashed = exits.filter((e) => e.at >= from && e.unit !== victim).map((e) => e.unit)
  rows.push({ fault: name, errors: errorsIn(samples), requests: samples.length, recoveredMs, crashed })
  say(`${name}: ${recovered ? `recovered in ${((recoveredMs as number) / 1000).toFixed(1)} s` : 'NOT recovered'}`)
  if (!recovered) problems.push(`${name}: the stack did not serve again within ${RECOVERY_TIMEOUT_MS / 1000} s`)
  if (crashed.length > 0) problems.push(`${name}: ${crashed.join(', ')} exited as well`)
}

try {
  say(`starting the stack (data ${dataDir})`)
  const ready = await waitFor(
    async () => stackExit === undefined && output.some((l) => l.includes('Press Ctrl-C to stop everything')),
    150_000,
    250,
  )
  if (!ready)
    throw new Error(`pnpm start was not ready (${stackExit ? `exited ${JSON.stringify(stackExit)}` : 'timeout'})`)
  say(`stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  await pids()

  // The cast: a verified provider organization (its listings publish on submit), a requester, a moderator.
  const password = 'fault suite password'
  // Signs up as a person does: registers, then opens the link of the development mail in the listings log.
  const register = async (email: string) => {
    await expect(202, `register ${email}`, base, 'POST', '/v1/auth/register', {
      body: { email, password, displayName: '演练' },
    })
    let token = ''
    const mailed = await waitFor(
      async () => {
        const line = output.find((l) => l.includes('DEV MAIL') && l.includes(` to ${email}: `))
        token = /\/verify-email\?token=([\w-]+)/.exec(line ?? '')?.[1] ?? ''
        return token !== ''
      },
      30_000,
      100,
    )
    if (!mailed) throw new Error(`no verification mail to ${email} in the log`)
    return expect(201, `verify ${email}`, base, 'POST', '/v1/auth/verify-email', { body: { token } })
  }
  const provider = await register('provider@faults.example.org')
  const requester = await register('requester@faults.example.org')
  await register('moderator@faults.example.org')
  const grant = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=development',
      'services/listings/src/cli.ts',
      'moderator',
      'grant',
      'moderator@faults.example.org',
    ],
    { cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }, encoding: 'utf8' },
  )
  if (grant.status !== 0) throw new Error(`moderator grant failed: ${grant.stderr}`)
  const moderator = await expect(200, 'moderator login', base, 'POST', '/v1/auth/login', {
    body: { email: 'moderator@faults.example.org', password },
  })
  const providerOrg = await expect(201, 'provider organization', base, 'POST', '/v1/organizations', {
    token: provider.accessToken,
    body: { name: '演练街道党群服务中心', kind: 'party_branch', district: '浦东新区', city: '上海' },
  })
  await expect(200, 'verify', base, 'POST', `/v1/moderation/organizations/${providerOrg.organization.id}/verify`, {
    token: moderator.accessToken,
  })
  const requesterOrg = await expect(201, 'requester organization', base, 'POST', '/v1/organizations', {
    token: requester.accessToken,
    body: { name: '演练社区志愿者协会', kind: 'youth_league', district: '浦东新区', city: '上海' },
  })
  const actors: Actors = {
    providerOrgId: providerOrg.organization.id,
    providerToken: providerOrg.accessToken,
    requesterOrgId: requesterOrg.organization.id,
    requesterToken: requesterOrg.accessToken,
  }

  const load = new Load(base, actors)
  load.start()
  // Listings for the bookings to contend for, replicated to bookings before the faults begin.
  await waitFor(async () => load.acknowledged.listings.length >= 2 && load.acknowledged.bookings.length >= 2, 60_000)
  await fault('steady load, no fault', undefined, async () => {}, actors, load)

  for (const service of SERVICES) {
    await fault(
      `SIGKILL ${service}`,
      service,
      async () => {
        process.kill((await pids())[service] as number, 'SIGKILL')
      },
      actors,
      load,
    )
  }
  await fault(
    'terminate every Postgres backend',
    undefined,
    async () => {
      await terminateBackends(databaseUrl)
    },
    actors,
    load,
  )
  await fault(
    'stop Postgres (fast shutdown)',
    'postgres',
    async () => {
      process.kill((await pids()).postgres as number, 'SIGINT')
    },
    actors,
    load,
  )
  await fault(
    'SIGKILL Meilisearch',
    'meilisearch',
    async () => {
      process.kill((await pids()).meilisearch as number, 'SIGKILL')
    },
    actors,
    load,
  )

  await load.stop()
  say(
    `load: ${load.samples.length} requests; acknowledged ${load.acknowledged.users.length} registrations, ${load.acknowledged.listings.length} listings, ${load.acknowledged.bookings.length} bookings`,
  )
  const missing = await missingWrites(base, databaseUrl, actors, load.acknowledged)
  for (const m of missing) problems.push(`acknowledged write missing: ${m}`)
  const twice = await slotsHeldTwice(databaseUrl)
  for (const t of twice) problems.push(`slot held twice: ${t}`)
  const meiliKey = (await readFile(path.join(dataDir, 'meilisearch', 'master-key'), 'utf8')).trim()
  const differences = await indexDifferences(
    databaseUrl,
    { url: `http://127.0.0.1:${meiliPort}`, key: meiliKey },
    60_000,
  )
  for (const d of differences.slice(0, 10)) problems.push(`index differs from Postgres: ${d}`)
  say(
    `checks: ${missing.length} missing writes, ${twice.length} double-held slots, ${differences.length} index differences`,
  )

  // Ctrl-C: SIGINT to the whole group, as a terminal sends it.
  const stopFrom = Date.now()
  const stopOutputFrom = output.length
  const finalPids = await pids()
  process.kill(-(stack.pid as number), 'SIGINT')
  const stopped = await waitFor(async () => stackExit !== undefined, 60_000, 100)
  const stoppedMs = stopped ? Date.now() - stopFrom : undefined
  const crashed = exits.filter((e) => e.at >= stopFrom).map((e) => e.unit)
  rows.push({ fault: 'SIGINT to the process group', errors: new Map(), requests: 0, recoveredMs: stoppedMs, crashed })
  if (!stopped) problems.push('pnpm start did not stop within 60 s of SIGINT')
  else if (stackExit?.code !== 0) problems.push(`pnpm start exited with ${JSON.stringify(stackExit)} after SIGINT`)
  const traces = output.slice(stopOutputFrom).filter((l) => /^\s*at .+\(.+:\d+:\d+\)$|Unhandled|Error: /.test(l))
  if (traces.length > 0)
    problems.push(`the stop printed errors or stack traces:\n    ${traces.slice(0, 5).join('\n    ')}`)
  await stackExited
  for (const [name, port] of Object.entries(ports)) {
    if (await isListening(port)) problems.push(`${name} still listens on ${port} after the stop`)
  }
  for (const [name, pid] of Object.entries(finalPids)) {
    if (isAlive(pid)) problems.push(`${name} (pid ${pid}) still runs after the stop`)
  }
} catch (error) {
  problems.push(`the suite could not run: ${(error as Error).message}`)
}
await finish()
