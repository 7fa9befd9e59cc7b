import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { getStack, readTestEnv, testRunId } from './stack.ts'

/** What testkit needs from a tap test: `t` (or any subtest) satisfies it. */
export interface TestContext {
  teardown(fn: () => unknown): void
}

/** Options of {@link testDatabase}. */
export interface TestDatabaseOptions {
  /** Names the template, e.g. the service whose migrations `prepare` applies. */
  template: string
  /**
   * Builds the template: migrates the database at `url` (and may seed it). Runs once per template per test
   * run, whatever the number of files and workers. It must close every connection it opened.
   */
  prepare: (url: string) => Promise<void>
}

// Postgres truncates identifiers beyond 63 bytes; names are built well below that.
const MAX_TEMPLATE_NAME = 30
// Per process, which for tap is per test file: later calls in the file skip the advisory lock.
const prepared = new Map<string, Promise<void>>()

/**
 * A fresh database for this test (or file), cloned from the migrated template `tpl_<run id>_<template>`,
 * and dropped when `t` ends. Returns its URL.
 *
 * The template is keyed by the test run (TEST_RUN_ID, set by `pnpm test`), so a run never clones a template
 * built from older migrations. Call this before anything that connects to the database: tap runs teardowns
 * last-in first-out, so the drop then comes after the pools built on it are closed (it uses FORCE anyway).
 */
export async function testDatabase(t: TestContext, opts: TestDatabaseOptions): Promise<string> {
  const { databaseUrl } = await getStack()
  const runId = testRunId()
  const template = `tpl_${runId}_${sanitize(opts.template).slice(0, MAX_TEMPLATE_NAME)}`
  let ready = prepared.get(template)
  if (!ready) {
    ready = ensureTemplate(databaseUrl, template, opts.prepare)
    prepared.set(template, ready)
    ready.catch(() => prepared.delete(template))
    if (readTestEnv().runId === undefined) dropWhenIdle(databaseUrl, template)
  }
  await ready

  const name = `t_${runId}_${randomBytes(5).toString('hex')}`
  await withClient(databaseUrl, (c) =>
    c.query(`CREATE DATABASE ${c.escapeIdentifier(name)} TEMPLATE ${c.escapeIdentifier(template)}`),
  )
  t.teardown(() => dropDatabase(databaseUrl, name))
  return databaseUrlFor(databaseUrl, name)
}

/** `url` with its database replaced by `database`. */
export function databaseUrlFor(url: string, database: string): string {
  const next = new URL(url)
  next.pathname = `/${encodeURIComponent(database)}`
  return next.toString()
}

/** Drops `database` on the server of `adminUrl`, disconnecting whoever is still connected. */
export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  await withClient(adminUrl, async (c) => {
    const name = c.escapeIdentifier(database)
    // A template cannot be dropped until it is declared an ordinary database again.
    const template = await c.query('SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate', [database])
    if (template.rowCount !== 0) await c.query(`ALTER DATABASE ${name} WITH IS_TEMPLATE false`)
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  })
}

/** Drops what test run `runId` left on a server: its templates and any per-test database not yet dropped. */
export async function dropRunDatabases(adminUrl: string, runId: string): Promise<void> {
  const left = await withClient(adminUrl, (c) =>
    c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname LIKE $2', [
      `tpl\\_${runId}\\_%`,
      `t\\_${runId}\\_%`,
    ]),
  )
  for (const { datname } of left.rows) await dropDatabase(adminUrl, datname)
}

/**
 * Creates the template once per test run. Parallel tap workers serialise on an advisory lock per template
 * name and check for the template inside it, so exactly one of them runs `prepare`.
 */
async function ensureTemplate(adminUrl: string, template: string, prepare: (url: string) => Promise<void>) {
  await withClient(adminUrl, async (c) => {
    const lockKey = `commons-testkit:${template}`
    await c.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockKey])
    try {
      const found = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [template])
      if (found.rowCount !== 0) return
      const name = c.escapeIdentifier(template)
      await c.query(`CREATE DATABASE ${name}`)
      try {
        const url = databaseUrlFor(adminUrl, template)
        // template1 of the embedded server has it already; an external server may not.
        await withClient(url, (tc) => tc.query('CREATE EXTENSION IF NOT EXISTS btree_gist'))
        await prepare(url)
        // CREATE DATABASE ... TEMPLATE fails while anyone is connected to the template: refuse new
        // connections from now on, and end what `prepare` left open. A pool's end() resolves before its
        // connections have closed, so they are given a moment to go by themselves: one cut while closing
        // reports the cut as an error in the process that opened it.
        await c.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false IS_TEMPLATE true`)
        await sessionsGone(c, template, 5_000)
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [template])
      } catch (error) {
        await dropDatabase(adminUrl, template).catch(() => {})
        throw error
      }
    } finally {
      await c.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey])
    }
  })
}

/**
 * Without a run id (a file run on its own) the template belongs to this process alone: on a server that
 * outlives the process it would be left behind, so it is dropped once the tests are done: `beforeExit`
 * comes after tap has finished the file, while the server (even a private one) is still up.
 */
function dropWhenIdle(adminUrl: string, template: string) {
  process.once('beforeExit', () => {
    dropDatabase(adminUrl, template).catch(() => {})
  })
}

/** Waits until nobody is connected to `database`, for at most `ms`. */
async function sessionsGone(c: pg.Client, database: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms
  for (;;) {
    const left = await c.query('SELECT 1 FROM pg_stat_activity WHERE datname = $1', [database])
    if (left.rowCount === 0 || Date.now() >= deadline) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  // A server going away mid-query surfaces as the query's rejection; without a listener the same error
  // would also be thrown as an uncaught 'error' event.
  client.on('error', () => {})
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

function sanitize(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_]+/g, '_')
}
