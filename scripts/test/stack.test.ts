import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { migrate as migrateBookings } from '@commons/bookings'
import { ownerOf, SERVICES } from '@commons/contracts'
import { migrate as migrateDiscovery } from '@commons/discovery'
import { migrate as migrateListings } from '@commons/listings'
import { freePorts, testDatabase, testMeili } from '@commons/testkit'
import { Validator } from '@seriousme/openapi-schema-validator'
import t from 'tap'
import { REPO_ROOT } from '../lib/paths.ts'
import { waitForOk } from '../lib/processes.ts'

const isListening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })

t.test('pnpm start brings every service up behind the web entry point and SIGTERM stops them all', async (t) => {
  const databaseUrl = await testDatabase(t, {
    template: 'all_services',
    prepare: async (url) => {
      await migrateListings({ DATABASE_URL: url })
      await migrateDiscovery({ DATABASE_URL: url })
      await migrateBookings({ DATABASE_URL: url })
    },
  })
  const meili = await testMeili(t)
  const dataDir = await mkdtemp(path.join(tmpdir(), 'commons-stack-'))
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))
  const [web, listings, discovery, bookings] = (await freePorts(4)) as [number, number, number, number]

  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=development', 'scripts/start.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      MEILI_URL: meili.url,
      MEILI_MASTER_KEY: meili.key,
      MEILI_INDEX_PREFIX: meili.prefix,
      DATA_DIR: dataDir,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      WEB_PORT: String(web),
      LISTINGS_PORT: String(listings),
      DISCOVERY_PORT: String(discovery),
      BOOKINGS_PORT: String(bookings),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk) => {
    output += chunk
  })
  child.stderr.on('data', (chunk) => {
    output += chunk
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL')
  })

  await waitForOk(`http://127.0.0.1:${web}/ready`, 120_000, () => child.exitCode !== null).catch((error) => {
    throw new Error(`${(error as Error).message}\n${output}`)
  })
  const base = `http://127.0.0.1:${web}`

  t.test('the merged OpenAPI document is valid OpenAPI 3.1 and names routes of every service', async (t) => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
      openapi: string
      paths: Record<string, unknown>
    }
    const result = await new Validator().validate(doc as unknown as Parameters<Validator['validate']>[0])
    t.same(result.errors ?? [], [], 'no validation errors')
    t.equal(result.valid, true)
    t.equal(doc.openapi, '3.1.0')
    const owners = new Set(Object.keys(doc.paths).map((p) => ownerOf(p)))
    for (const service of SERVICES) t.ok(owners.has(service), `${service} has documented routes`)
  })

  t.test('/v1 requests reach the owning service through the entry point', async (t) => {
    const me = await fetch(`${base}/v1/me`)
    t.equal(me.status, 401)
    t.equal(((await me.json()) as { code: string }).code, 'unauthenticated')
    t.ok(me.headers.get('x-request-id'))
    const unknown = await fetch(`${base}/v1/nowhere`)
    t.equal(unknown.status, 404)
    t.equal(((await unknown.json()) as { code: string }).code, 'route_not_found')
  })

  t.test('every service reports ready', async (t) => {
    for (const port of [listings, discovery, bookings, web]) {
      const res = await fetch(`http://127.0.0.1:${port}/ready`)
      t.equal(res.status, 200, `port ${port}`)
    }
  })

  t.test('SIGTERM stops everything and leaves nothing listening', async (t) => {
    child.kill('SIGTERM')
    t.equal(await exited, 0)
    for (const port of [web, listings, discovery, bookings])
      t.equal(await isListening(port), false, `port ${port} closed`)
  })
})
